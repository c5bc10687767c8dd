package io.switchboard.node;

import io.vertx.core.Vertx;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes, each in a JVM of its own, clustered over Hazelcast on loopback and sharing one real Redis:
 * sources on node A, members on B and C. The last test kills node B with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTest.class);
  /** The default lease: a dead node's users must be offline within a lease and a third, under the 5 s bound. */
  private static final long LEASE_MILLIS = 3000;
  /** The disconnect grace of the test cluster: a departed user's conversations are closed after it. */
  static final long GRACE_MILLIS = 2000;

  @TempDir
  static Path dir;
  static NodeCluster cluster;
  static Vertx vertx;
  static NodeProcess a;
  static NodeProcess b;
  static NodeProcess c;
  /** The admin API of node A, which lives through every test. */
  static AdminClient admin;

  @BeforeAll
  static void startCluster() {
    cluster = NodeCluster.start(dir, NodeTestBase.directory());
    vertx = cluster.vertx;
    a = cluster.loading("a");
    b = cluster.join("b");
    c = cluster.join("c");
    admin = a.admin(vertx);
  }

  /** Options for every node of one test cluster: a cluster name and Hazelcast ports of its own. */
  static List<String> clusterOptions(String... store) {
    int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    List<String> options = new ArrayList<>(List.of("--cluster", "--cluster-name", "test-" + base,
        "--cluster-port", String.valueOf(base), "--cluster-members", "127.0.0.1",
        "--disconnect-grace", "PT" + GRACE_MILLIS / 1000 + "S"));
    options.addAll(CapacityCheck.NODE_OPTIONS);
    options.addAll(List.of(store));
    return options;
  }

  static List<String> with(List<String> options, String... more) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of(more));
    return all;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  /** Stops the nodes, then the client Vert.x, then Redis; whatever was not started is null and skipped. */
  static void stopAll(Vertx vertx, AutoCloseable redis, NodeProcess... nodes) throws Exception {
    for (NodeProcess node : nodes) {
      if (node != null) {
        node.close();
      }
    }
    if (vertx != null) {
      vertx.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeClientsAndWaitForTheirConversationsToEnd() {
    cluster.closeClientsAndAwaitLoadsGivenBack(admin);
  }

  private static TestClient connect(NodeProcess node, String user) {
    return cluster.connect(node, user);
  }

  private static TestClient connectTcp(NodeProcess node, String user) {
    return cluster.connectTcp(node, user);
  }

  @Test
  @Order(0)
  void everyPortOfANodeListensOnItsHostsOnlyHazelcastsIncluded() {
    for (NodeProcess node : List.of(a, b, c)) {
      List<String> listening = ListeningSockets.of(node.pid());
      assertTrue(listening.size() >= 4, "HTTP, TCP, event bus and Hazelcast: " + listening);
      assertTrue(listening.stream().allMatch(address -> address.startsWith("127.0.0.1:")),
          node.nodeId + " listens on " + listening);
    }
  }

  @Test
  @Order(0)
  void anyNodesAdminApiListsEveryNodeOfTheClusterWithItsConnections() {
    AdminClient admin = a.admin(vertx);
    long before = connectionsOf(admin, "b");
    connect(b, "bob");
    connectTcp(b, "carol");
    assertEquals(before + 2, connectionsOf(admin, "b"));
    assertEquals(before + 2, connectionsOf(c.admin(vertx), "b"));
  }

  /** The connections {@code GET /api/v1/nodes} reports for {@code node}, after checking it lists every node. */
  private static long connectionsOf(AdminClient admin, String node) {
    JsonArray nodes = admin.get("/api/v1/nodes").ok().getJsonArray("nodes");
    assertEquals(List.of("a", "b", "c"), nodes.stream().map(entry -> ((JsonObject) entry).getString("node")).toList());
    return nodes.stream().map(entry -> (JsonObject) entry).filter(entry -> entry.getString("node").equals(node))
        .findFirst().orElseThrow().getLong("connections");
  }

  @Test
  @Order(1)
  void presenceCrossesNodes() {
    TestClient watcher = connect(a, "abc");
    assertOk(watcher.request(frame("watch").put("users", new JsonArray().add("bob").add("strict"))));
    assertEquals("offline", watcher.next("presence").getString("status"));
    assertEquals("offline", watcher.next("presence").getString("status"));
    TestClient bob = connectTcp(c, "bob");
    assertEquals("online", watcher.next("presence").getString("status"));
    TestClient s1 = connect(b, "s1");
    JsonObject strict = watcher.next("presence");
    assertEquals("strict", strict.getString("user"));
    assertEquals("online", strict.getString("status"));
    bob.close();
    s1.close();
    assertEquals("offline", watcher.next(f -> "bob".equals(f.getString("user"))).getString("status"));
  }

  @Test
  @Order(2)
  void aSourceOnOneNodeTalksInOrderWithAMemberOnAnotherAndStickyFollowsItAcrossNodes() {
    TestClient abc = connect(a, "abc");
    TestClient m1 = connect(b, "m1");
    TestClient m2 = connect(c, "m2");
    String conversation = openAccepted(abc, "shop", m1);
    int count = 1000;
    for (int i = 1; i <= count; i++) {
      abc.send(frame("send").put("id", "m" + i).put("conversation", conversation).put("body", "message " + i));
    }
    for (int i = 1; i <= count; i++) {
      JsonObject message = m1.next("message");
      assertEquals(i, message.getLong("seq"));
      assertEquals("message " + i, message.getString("body"));
    }
    m1.request(frame("send").put("conversation", conversation).put("body", "from node b"));
    assertEquals("shop", abc.next("message").getString("from"));
    assertOk(abc.request(frame("close").put("conversation", conversation)));
    abc.close();

    // abc comes back through node C; the history is in Redis, so sticky finds m1 on node B again.
    TestClient again = connect(c, "abc");
    openAccepted(again, "shop", m1);
    m2.expectNothing();
  }

  @Test
  @Order(3)
  void twoNodesRoutingFiveHundredOpensAtOnceNeverExceedACapacity() {
    CapacityCheck.run(List.of(connect(a, "abc"), connect(c, "bob"), connect(a, "carol")),
        NodeTestBase.RUSH_MEMBERS.stream().map(member -> connect(member.compareTo("r3") < 0 ? b : c, member)).toList());
  }

  @Test
  @Order(4)
  void whenANodeIsKilledItsUsersGoOfflineEverywhereAndTheirConversationsAreReleasedAfterTheGrace() {
    TestClient watcher = connect(a, "bob");
    assertOk(watcher.request(frame("watch").put("users", new JsonArray().add("m3"))));
    watcher.next("presence");
    TestClient carol = connect(c, "carol");
    TestClient m3 = connect(b, "m3");
    assertEquals("online", watcher.next("presence").getString("status"));
    String conversation = openAccepted(carol, "shop", m3);
    // s2 is connected through node B and node C: it must outlive B.
    connect(b, "s2");
    connect(c, "s2");

    long killed = System.nanoTime();
    b.kill();
    JsonObject offline = watcher.next("presence");
    long offlineMillis = (System.nanoTime() - killed) / 1_000_000;
    assertEquals("offline", offline.getString("status"));
    JsonObject closed = carol.next(frame -> "closed".equals(frame.getString("type"))
        && conversation.equals(frame.getString("conversation")));
    long releasedMillis = (System.nanoTime() - killed) / 1_000_000;
    assertEquals("disconnected", closed.getString("reason"));
    LOG.warn("kill -9 of node b: m3 offline everywhere after {} ms, its conversation closed and load released after {} ms"
        + " (lease {} ms, disconnect grace {} ms)", offlineMillis, releasedMillis, LEASE_MILLIS, GRACE_MILLIS);
    assertTrue(offlineMillis < 5000, "offline within the 5 s bound");
    assertTrue(releasedMillis >= GRACE_MILLIS, "the conversation waits for the disconnect grace");
    assertTrue(releasedMillis < 5000 + GRACE_MILLIS, "and is closed soon after it");
    assertOk(watcher.request(frame("watch").put("users", new JsonArray().add("s2"))));
    JsonObject s2 = watcher.next(f -> "s2".equals(f.getString("user")));
    assertEquals("online", s2.getString("status"), "a user connected through a surviving node stays online");

    // m3 reconnects through node C and carol, opening again, is routed back to m3 (sticky, context in Redis).
    TestClient back = connect(c, "m3");
    openAccepted(carol, "shop", back);
  }
}
