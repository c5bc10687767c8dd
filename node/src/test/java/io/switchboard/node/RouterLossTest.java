package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An open waiting on a router that dies fails fast, long before its offer would have timed out, and the load the
 * router reserved is given back when its node is evicted, which serves the queue: the gateway runs on node g, routers
 * on r1 and r2 (nodes in JVMs of their own on one Redis); r1 routes the open (r2 starts once it did) and is killed.
 */
class RouterLossTest {

  private static final Duration LEASE = Duration.ofSeconds(1);
  /** The open's offer would wait this long: the failure must come much sooner. */
  private static final Duration OFFER_TIMEOUT = Duration.ofSeconds(60);
  private static final String LEASE_OPTION = "--lease";

  @TempDir
  Path dir;
  private NodeCluster cluster;
  private NodeProcess g;
  private NodeProcess r1;
  private AdminClient admin;
  private TestClient m1;

  /** desk: member m1 (one conversation at a time), a queue; sources abc and s0. */
  private static JsonObject directory() {
    return new JsonObject()
        .put("users", new JsonArray().add(new JsonObject().put("id", "abc")).add(new JsonObject().put("id", "s0"))
            .add(new JsonObject().put("id", "m1").put("maxConversations", 1)))
        .put("virtualUsers", new JsonArray().add(new JsonObject().put("id", "desk").put("members", new JsonArray().add("m1"))
            .put("policy", new JsonObject().put("offerTimeout", OFFER_TIMEOUT.toString())
                .put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M")))));
  }

  @BeforeEach
  void start() {
    cluster = NodeCluster.start(dir, directory());
    g = cluster.loading("g", LEASE_OPTION, LEASE.toString(), "--roles", "gateway,presence");
    r1 = cluster.join("r1", LEASE_OPTION, LEASE.toString(), "--roles", "router");
    admin = g.admin(cluster.vertx);
    m1 = cluster.connect(g, "m1");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void anOpenWaitingOnADeadRouterFailsFastAndItsReservationIsGivenBack() {
    TestClient abc = cluster.connect(g, "abc");
    abc.send(frame("open").put("id", "o1").put("to", "desk"));
    String conversation = m1.next("offer").getString("conversation");
    assertEquals(1, load(), "the offer holds a unit of m1's capacity");
    cluster.join("r2", LEASE_OPTION, LEASE.toString(), "--roles", "router");

    long killed = System.nanoTime();
    r1.kill();
    JsonObject failed = abc.next(frame -> "o1".equals(frame.getString("id")));
    long failedMillis = (System.nanoTime() - killed) / 1_000_000;

    assertEquals("error", failed.getString("type"), failed::encode);
    assertEquals("unavailable", failed.getString("code"), failed::encode);
    assertTrue(failedMillis < OFFER_TIMEOUT.toMillis() / 4, "failed after " + failedMillis + " ms");
    assertEquals(conversation, m1.next("offer-withdrawn").getString("conversation"));
    m1.expectError(m1.request(frame("accept").put("conversation", conversation)), "gone");
    NodeTestBase.eventually(Duration.ofSeconds(10), () -> load() == 0, () -> "r1's reservation is given back with its lease");
  }

  /**
   * m1, online all along, is freed only by the release of the dead router's reservation: that release serves the
   * queue, so the open waiting there is offered to m1 (by r2) without anything else happening.
   */
  @Test
  void theOpenWaitingInTheQueueIsServedOnceTheDeadRoutersReservationIsGivenBack() {
    TestClient abc = cluster.connect(g, "abc");
    abc.send(frame("open").put("id", "o1").put("to", "desk"));
    String blocked = m1.next("offer").getString("conversation");
    TestClient s0 = cluster.connect(g, "s0");
    s0.send(frame("open").put("id", "o2").put("to", "desk"));
    assertEquals(1, s0.next("queued").getInteger("position"));
    cluster.join("r2", LEASE_OPTION, LEASE.toString(), "--roles", "router");

    r1.kill();
    assertEquals("unavailable", abc.next(frame -> "o1".equals(frame.getString("id"))).getString("code"));
    assertEquals(blocked, m1.next("offer-withdrawn").getString("conversation"));

    JsonObject offer = m1.next("offer");
    assertEquals(List.of("s0", "desk"), List.of(offer.getString("from"), offer.getString("to")));
    assertOk(m1.request(frame("accept").put("conversation", offer.getString("conversation"))));
    JsonObject opened = s0.next(frame -> "o2".equals(frame.getString("id")) && !"queued".equals(frame.getString("type")));
    assertEquals("opened", opened.getString("type"), opened::encode);
  }

  private int load() {
    return admin.get("/api/v1/virtual-users/desk/status").ok().getJsonArray("members").getJsonObject(0).getInteger("load");
  }
}
