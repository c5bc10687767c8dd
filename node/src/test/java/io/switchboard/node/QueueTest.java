package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.QueueScenario.AGENT;
import static io.switchboard.node.QueueScenario.DESK;
import static io.switchboard.node.QueueScenario.FIRST;
import static io.switchboard.node.QueueScenario.LINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Waiting in a virtual user's queue on one embedded node (docs/POLICY.md § Queue, docs/PROTOCOL.md). */
@ExtendWith(VertxExtension.class)
class QueueTest {

  @TempDir
  Path dir;
  Vertx vertx;
  TestNode node;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    node = TestNode.start(vertx, dir, QueueScenario.directory());
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  private TestClient connect(String user) {
    TestClient client = node.connect(user);
    clients.add(client);
    return client;
  }

  @Test
  void tenSourcesBehindAMemberOfCapacityOneAreServedByPriorityThenArrivalEachOnce() {
    QueueScenario.run(connect(AGENT), this::connect);
  }

  /** The agent holds a conversation with {@code first}; {@code s0} and {@code s1} wait behind it. */
  private TestClient[] twoWaiting(TestClient agent) {
    NodeTestBase.openAccepted(connect(FIRST), LINE, agent);
    TestClient s0 = connect("s0");
    TestClient s1 = connect("s1");
    s0.send(frame("open").put("id", "o1").put("to", LINE));
    assertEquals(1, s0.next("queued").getInteger("position"));
    s1.send(frame("open").put("id", "o1").put("to", LINE));
    assertEquals(2, s1.next("queued").getInteger("position"));
    return new TestClient[] {s0, s1};
  }

  @Test
  void aNewOpenInTheInstantTheMemberFreesUpWaitsBehindTheOpenThatWaitedFirst() {
    QueueScenario.newOpensWaitBehindTheHead(connect(AGENT), this::connect);
  }

  /**
   * Strict order (docs/POLICY.md § Queue): while the head finds nobody (only the busy agent matches it), an open that
   * a free member of another team could take waits behind it, and is served right after it.
   */
  @Test
  void whileTheHeadFindsNobodyANewOpenWaitsBehindItEvenWithAFreeMemberOfAnotherTeam() {
    node.admin().put("/api/v1/users/s9", new JsonObject().put("id", "s9").put("maxConversations", 1)
        .put("attributes", new JsonObject().put("team", "back"))).ok();
    JsonArray chain = new JsonArray().add(teamFor(">=", "desk")).add(teamFor("<", "back"));
    node.admin().put("/api/v1/virtual-users/skills", new JsonObject().put("id", "skills")
        .put("members", new JsonArray().add(AGENT).add("s9"))
        .put("policy", new JsonObject().put("chain", chain)
            .put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M")))).ok();
    TestClient agent = connect(AGENT);
    TestClient back = connect("s9");
    TestClient first = connect(FIRST);
    String blocking = NodeTestBase.openAccepted(first, LINE, agent);

    TestClient senior = connect("s0");
    senior.send(frame("open").put("id", "o").put("to", "skills").put("context", level(5)));
    assertEquals(1, senior.next("queued").getInteger("position"));
    TestClient junior = connect("s1");
    junior.send(frame("open").put("id", "o").put("to", "skills").put("context", level(1)));
    assertEquals(2, junior.next("queued").getInteger("position"));
    back.expectNothing();

    assertOk(first.request(frame("close").put("conversation", blocking)));
    assertEquals("s0", agent.next("offer").getString("from"));
    assertEquals("s1", back.next("offer").getString("from"));
  }

  /** A match step: sources whose level compares so with 3 go to the members of {@code team}. */
  private static JsonObject teamFor(String op, String team) {
    return new JsonObject().put("type", "match")
        .put("when", new JsonArray().add(new JsonObject().put("attribute", "level").put("op", op).put("value", 3)))
        .put("select", new JsonArray().add(new JsonObject().put("attribute", "team").put("op", "=").put("value", team)));
  }

  private static JsonObject level(int level) {
    return new JsonObject().put("attributes", new JsonObject().put("level", level));
  }

  @Test
  void aCancelledOpenLeavesTheQueueWithCancelledAndThoseBehindMoveUp() {
    TestClient agent = connect(AGENT);
    TestClient[] waiting = twoWaiting(agent);

    assertOk(waiting[0].request(frame("cancel").put("open", "o1")));

    JsonObject ended = waiting[0].next(f -> "o1".equals(f.getString("id")));
    assertEquals("error", ended.getString("type"));
    assertEquals("cancelled", ended.getString("code"));
    assertEquals(1, waiting[1].next("queued").getInteger("position"));
  }

  @Test
  void aCancelOfAnOpenThatIsNotWaitingIsRefusedAndChangesNothing() {
    TestClient agent = connect(AGENT);
    TestClient[] waiting = twoWaiting(agent);

    JsonObject unknown = waiting[0].request(frame("cancel").put("open", "nope"));
    assertEquals("not_found", unknown.getString("code"), unknown::encode);
    JsonObject malformed = waiting[0].request(frame("cancel"));
    assertEquals("bad_frame", malformed.getString("code"), malformed::encode);
    // s1 cannot name s0's open: its own o1 is the one it cancels.
    assertOk(waiting[1].request(frame("cancel").put("open", "o1")));
    assertEquals("cancelled", waiting[1].next(f -> "o1".equals(f.getString("id"))).getString("code"));

    assertNull(waiting[0].poll(TestClient.QUIET), "s0 still waits at position 1, untouched");
  }

  @Test
  void aSourceThatDisconnectsLeavesTheQueue() {
    TestClient agent = connect(AGENT);
    TestClient[] waiting = twoWaiting(agent);

    waiting[0].close();

    assertEquals(1, waiting[1].next("queued").getInteger("position"));
  }

  @Test
  void aFullQueueRefusesWithUnavailableButAHigherPriorityFromAMatchStepPassesAheadOfIt() {
    TestClient agent = connect(AGENT);
    NodeTestBase.openAccepted(connect(FIRST), DESK, agent);
    TestClient s0 = connect("s0");
    s0.send(frame("open").put("id", "o1").put("to", DESK));
    assertEquals(1, s0.next("queued").getInteger("position"));

    TestClient s1 = connect("s1");
    JsonObject full = s1.request(frame("open").put("to", DESK));
    assertEquals("unavailable", full.getString("code"), full::encode);

    TestClient s2 = connect("s2");
    s2.send(frame("open").put("id", "o1").put("to", DESK)
        .put("context", new JsonObject().put("attributes", new JsonObject().put("level", 3))));
    assertEquals(1, s2.next("queued").getInteger("position"), "priority 5 from the match step passes over the limit");
    assertEquals(2, s0.next("queued").getInteger("position"));
  }

  @Test
  void anOpenThatWaitsLongerThanMaxWaitGetsTimeout() {
    TestClient agent = connect(AGENT);
    NodeTestBase.openAccepted(connect(FIRST), DESK, agent);
    TestClient s0 = connect("s0");
    s0.send(frame("open").put("id", "o1").put("to", DESK));
    assertEquals(1, s0.next("queued").getInteger("position"));

    JsonObject timedOut = s0.next(f -> "o1".equals(f.getString("id")) && !"queued".equals(f.getString("type")));
    assertEquals("error", timedOut.getString("type"));
    assertEquals("timeout", timedOut.getString("code"), timedOut::encode);
    agent.expectNothing();
  }

  @Test
  void theDecisionTraceShowsTheOpenWaitingInTheQueue() {
    TestClient agent = connect(AGENT);
    NodeTestBase.openAccepted(connect(FIRST), LINE, agent);
    TestClient s0 = connect("s0");
    s0.send(frame("open").put("id", "o1").put("to", LINE));
    assertEquals(1, s0.next("queued").getInteger("position"));

    JsonObject decision = node.admin().get("/api/v1/decisions?destination=" + LINE).ok()
        .getJsonArray("decisions").getJsonObject(0);
    assertEquals("queue", decision.getString("step"), decision::encode);
    assertNull(decision.getValue("selected"));

    TestClient s1 = connect("s1");
    s1.send(frame("open").put("id", "o1").put("to", LINE));
    assertEquals(2, s1.next("queued").getInteger("position"));
    JsonArray behind = node.admin().get("/api/v1/decisions?destination=" + LINE).ok()
        .getJsonArray("decisions").getJsonObject(0).getJsonArray("trace");
    assertEquals(new JsonObject().put("step", "queue").put("result", "passed")
        .put("reason", "1 already waiting in the queue of " + LINE), behind.getJsonObject(0), behind::encode);
  }

  @Test
  void theAdminApiListsTheQueueHeadFirst() {
    TestClient agent = connect(AGENT);
    twoWaiting(agent);

    JsonObject queue = node.admin().get("/api/v1/virtual-users/" + LINE + "/queue").ok();
    assertEquals(LINE, queue.getString("id"));
    assertEquals(List.of("s0", "s1"), queue.getJsonArray("waiting").stream()
        .map(entry -> ((JsonObject) entry).getString("source")).toList());
    assertEquals(2, queue.getJsonArray("waiting").getJsonObject(1).getInteger("position"));
    assertEquals(1, node.admin().get("/api/v1/virtual-users/" + LINE + "/queue?limit=1").ok()
        .getJsonArray("waiting").size());
    node.admin().get("/api/v1/virtual-users/" + LINE + "/queue?limit=0").error(400, "bad_request");
    node.admin().get("/api/v1/virtual-users/nobody/queue").error(404, "not_found");
  }

  @Test
  void aDeclinedHeadKeepsItsPlaceAndTheMemberIsOfferedTheNextOneItCanTake() {
    TestClient agent = connect(AGENT);
    TestClient first = connect(FIRST);
    String blocking = NodeTestBase.openAccepted(first, LINE, agent);
    TestClient[] waiting = new TestClient[2];
    for (int i = 0; i < 2; i++) {
      waiting[i] = connect("s" + i);
      waiting[i].send(frame("open").put("id", "o1").put("to", LINE));
      assertEquals(i + 1, waiting[i].next("queued").getInteger("position"));
    }

    assertOk(first.request(frame("close").put("conversation", blocking)));
    JsonObject offer = agent.next("offer");
    assertEquals("s0", offer.getString("from"));
    assertOk(agent.request(frame("decline").put("conversation", offer.getString("conversation"))));

    JsonObject next = agent.next("offer");
    assertEquals("s1", next.getString("from"), "s0 declined by the only member: s1 is served, s0 keeps waiting");
    assertEquals(1, waiting[0].next("queued").getInteger("position"), "s0 is back at the head");
    assertOk(agent.request(frame("accept").put("conversation", next.getString("conversation"))));
    assertEquals("opened", waiting[1].next(f -> "o1".equals(f.getString("id")) && !"queued".equals(f.getString("type")))
        .getString("type"));
    assertEquals(List.of("s0"), node.admin().get("/api/v1/virtual-users/" + LINE + "/queue").ok()
        .getJsonArray("waiting").stream().map(entry -> ((JsonObject) entry).getString("source")).toList());
  }
}
