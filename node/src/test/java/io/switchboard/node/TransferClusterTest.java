package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A transfer across two clustered nodes, each a JVM of its own, sharing one real Redis: the source and the member
 * handing the conversation on are on node A, the member taking it on node B; a supervisor's live view on node B sees
 * what node A routes.
 */
class TransferClusterTest {

  private static final Logger LOG = LoggerFactory.getLogger(TransferClusterTest.class);
  private static final int MESSAGES = 50;

  @TempDir
  static Path dir;
  static NodeCluster cluster;
  static NodeProcess a;
  static NodeProcess b;

  @BeforeAll
  static void startCluster() {
    cluster = NodeCluster.start(dir, NodeTestBase.directory());
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

  @Test
  void aConversationHandedToAMemberOnAnotherNodeKeepsItsTranscriptAndSeq() {
    // a supervisor watches the shop through node B; node A routes
    LiveClient view = LiveClient.open(b.httpPort, "shop", TestNode.token(cluster.vertx, TestNode.SECRET, new JsonObject()
        .put("sub", "ops").put("roles", new JsonArray().add("admin")).put("exp", TestNode.inAnHour())));
    view.next("members");
    TestClient abc = connect(a, "abc");
    TestClient m1 = connect(a, "m1");
    String conversation = openAccepted(abc, "shop", m1);
    assertEquals("m1", view.next("decision").getString("selected"));
    assertEquals(conversation, view.next("opened").getString("conversation"));
    for (int i = 1; i <= MESSAGES; i++) {
      TestClient sender = i % 2 == 1 ? abc : m1;
      sender.send(frame("send").put("id", "s" + i).put("conversation", conversation).put("body", "message " + i));
      TestClient recipient = i % 2 == 1 ? m1 : abc;
      assertEquals(i, recipient.next("message").getLong("seq"));
    }
    TestClient m2 = connect(b, "m2");

    long asked = System.nanoTime();
    m1.send(frame("transfer").put("id", "t").put("conversation", conversation).put("to", "m2").put("note", "over to B"));
    JsonObject offer = m2.next("offer");
    long offered = System.nanoTime();
    assertEquals(new JsonObject().put("from", "m1").put("note", "over to B"), offer.getJsonObject("transfer"));
    assertOk(m2.request(frame("accept").put("conversation", conversation)));
    long accepted = System.nanoTime();
    assertOk(m1.next(f -> "t".equals(f.getString("id"))));
    assertEquals("transferred", m1.next("closed").getString("reason"));
    assertEquals("shop", abc.next("transferred").getString("to"));
    long handedOver = System.nanoTime();
    JsonObject transferred = view.next("transferred");
    assertEquals(List.of("m1", "m2", "over to B"), List.of(transferred.getString("from"), transferred.getString("agent"),
        transferred.getString("note")));
    view.next("members", members -> members.getJsonArray("members").getJsonObject(1).getInteger("load") == 1);

    m2.send(frame("resume").put("id", "r").put("conversation", conversation).put("after", 0));
    for (int i = 1; i <= MESSAGES; i++) {
      JsonObject message = m2.next("message");
      assertEquals(List.of((long) i, "message " + i, i % 2 == 1 ? "abc" : "m1"),
          List.of(message.getLong("seq"), message.getString("body"), message.getString("from")));
    }
    assertOk(m2.next(f -> "r".equals(f.getString("id"))));
    LOG.warn("transfer across nodes: offer {} ms after the request, source told {} ms after the accept, {} messages"
        + " resumed in {} ms", (offered - asked) / 1_000_000, (handedOver - accepted) / 1_000_000, MESSAGES,
        (System.nanoTime() - handedOver) / 1_000_000);

    // node A's gateway knew the conversation with m1: the source's next message reaches m2 on node B all the same
    assertEquals(MESSAGES + 1, abc.request(frame("send").put("conversation", conversation).put("body", "and now?"))
        .getLong("seq"));
    assertEquals(MESSAGES + 1, m2.next("message").getLong("seq"));
    m2.request(frame("send").put("conversation", conversation).put("body", "from node B"));
    JsonObject reply = abc.next("message");
    assertEquals(List.of((long) MESSAGES + 2, "shop"), List.of(reply.getLong("seq"), reply.getString("from")));
    m1.expectError(m1.request(frame("send").put("conversation", conversation).put("body", "hello?")), "forbidden");

    JsonObject status = new JsonObject(b.admin(cluster.vertx).get("/api/v1/virtual-users/shop/status").body());
    assertEquals(List.of(0, 1, 0), status.getJsonArray("members").stream()
        .map(member -> ((JsonObject) member).getInteger("load")).toList());
    assertOk(m2.request(frame("close").put("conversation", conversation)));
    assertEquals("closed", abc.next("closed").getString("reason"));
    JsonObject closed = view.next("closed");
    assertEquals(List.of("m2", "closed"), List.of(closed.getString("by"), closed.getString("reason")));
    view.close();
  }
}
