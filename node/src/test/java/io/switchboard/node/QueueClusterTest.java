package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.QueueScenario.AGENT;
import static io.switchboard.node.QueueScenario.FIRST;
import static io.switchboard.node.QueueScenario.LINE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The queue shared by two nodes on Redis (docs/POLICY.md § Queue): sources on either node wait in one queue, a member
 * on the other serves it in order, and the queue outlives the node of the member.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueClusterTest {

  @TempDir
  static Path dir;
  static NodeCluster cluster;
  static NodeProcess a;
  static NodeProcess b;

  @BeforeAll
  static void startCluster() {
    cluster = NodeCluster.start(dir, QueueScenario.directory());
    a = cluster.loading("a");
    b = cluster.join("b");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @AfterEach
  void closeClients() {
    cluster.closeClients();
  }

  private static TestClient connect(NodeProcess node, String user) {
    return cluster.connect(node, user);
  }

  /** s0, s2, … on node a; first, s1, s3, … on node b. */
  private TestClient connectSource(String source) {
    boolean even = !source.equals(FIRST) && Integer.parseInt(source.substring(1)) % 2 == 0;
    return connect(even ? a : b, source);
  }

  @Test
  @Order(1)
  void tenSourcesOnTwoNodesBehindAMemberOfCapacityOneAreServedByPriorityThenArrivalEachOnce() {
    QueueScenario.run(connect(a, AGENT), this::connectSource);
  }

  @Test
  @Order(2)
  void aNewOpenOnEitherNodeInTheInstantTheMemberFreesUpWaitsBehindTheOpenThatWaitedFirst() {
    QueueScenario.newOpensWaitBehindTheHead(connect(b, AGENT), this::connectSource);
  }

  @Test
  @Order(3)
  void aHeadBeingOfferedWhenTheNodeOfItsMemberAndRouterDiesGoesBackInItsPlaceAndIsServedFirst() {
    TestClient agent = connect(b, AGENT);
    TestClient first = connect(a, FIRST);
    String blocking = NodeTestBase.openAccepted(first, LINE, agent);
    assertOk(first.request(frame("watch").put("users", new JsonArray().add(AGENT))));
    assertEquals("online", first.next("presence").getString("status"));
    List<TestClient> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestClient source = connect(a, "s" + i);
      source.send(frame("open").put("id", "o").put("to", LINE));
      assertEquals(i + 1, source.next("queued").getInteger("position"));
      waiting.add(source);
    }
    // The member frees up through node b; a router (a's or b's) takes s0 out of the queue and offers it.
    assertOk(agent.request(frame("close").put("conversation", blocking)));
    assertEquals("s0", agent.next("offer").getString("from"));
    assertEquals(1, waiting.get(1).next("queued").getInteger("position"));
    assertEquals(2, waiting.get(2).next("queued").getInteger("position"));

    b.kill();
    assertEquals("offline", first.next("presence").getString("status"));
    assertEquals(1, waiting.get(0).next("queued").getInteger("position"), "s0 is back at the head");
    assertEquals(2, waiting.get(1).next("queued").getInteger("position"));
    assertEquals(3, waiting.get(2).next("queued").getInteger("position"));
    // The agent comes back once the dead node's reservation of it was given back. Coming back before that release,
    // it was once offered s1 ahead of s0 (a race still open, docs/TESTING.md § Known flakes).
    awaitAgentFree(a.admin(cluster.vertx));
    TestClient again = connect(a, AGENT);
    for (int i = 0; i < 3; i++) {
      JsonObject offer = again.next("offer");
      assertEquals("s" + i, offer.getString("from"));
      assertOk(again.request(frame("accept").put("conversation", offer.getString("conversation"))));
      JsonObject opened = waiting.get(i).next(f -> "o".equals(f.getString("id")) && !"queued".equals(f.getString("type")));
      assertEquals("opened", opened.getString("type"), opened::encode);
      assertOk(again.request(frame("close").put("conversation", opened.getString("conversation"))));
    }
  }

  private static void awaitAgentFree(AdminClient admin) {
    NodeTestBase.eventually(Duration.ofSeconds(20), () -> admin.get("/api/v1/virtual-users/" + LINE + "/status").ok()
            .getJsonArray("members").stream().map(JsonObject.class::cast)
            .filter(member -> AGENT.equals(member.getString("id"))).allMatch(member -> member.getInteger("load") == 0),
        () -> "the dead node's reservation of " + AGENT + " was never given back");
  }

  @Test
  @Order(4)
  void anOpenWhoseSourceDiedWithItsNodeIsDroppedAndTheNextOneIsServed() {
    NodeProcess c = cluster.join("c");
    TestClient agent = connect(a, AGENT);
    TestClient first = connect(a, FIRST);
    String blocking = NodeTestBase.openAccepted(first, LINE, agent);
    TestClient s0 = connect(c, "s0");
    s0.send(frame("open").put("id", "o").put("to", LINE));
    assertEquals(1, s0.next("queued").getInteger("position"));
    TestClient s1 = connect(a, "s1");
    s1.send(frame("open").put("id", "o").put("to", LINE));
    assertEquals(2, s1.next("queued").getInteger("position"));
    assertOk(s1.request(frame("watch").put("users", new JsonArray().add("s0"))));
    assertEquals("online", s1.next("presence").getString("status"));

    c.kill();
    assertEquals("offline", s1.next("presence").getString("status"));
    assertOk(first.request(frame("close").put("conversation", blocking)));

    JsonObject offer = agent.next("offer");
    assertEquals("s1", offer.getString("from"), "s0 is gone with its node: nobody to serve");
    assertEquals(1, s1.next("queued").getInteger("position"));
    assertOk(agent.request(frame("accept").put("conversation", offer.getString("conversation"))));
    assertEquals("opened", s1.next(f -> "o".equals(f.getString("id")) && !"queued".equals(f.getString("type")))
        .getString("type"));
  }
}
