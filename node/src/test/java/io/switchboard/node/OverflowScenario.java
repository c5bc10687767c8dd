package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overflow steps (docs/POLICY.md § overflow), the same on one embedded node and on two nodes sharing Redis:
 * {@code front} (member a1) overflows to {@code back} (member b1, with a queue) at once; {@code slow} (member a1,
 * with a queue) overflows to {@code back} after a second of waiting. Members take one conversation at a time.
 * A test gives how its sources and members connect (through which node) and an admin API.
 */
final class OverflowScenario {

  private final Function<String, TestClient> source;
  private final Function<String, TestClient> member;
  private final AdminClient admin;

  OverflowScenario(Function<String, TestClient> source, Function<String, TestClient> member, AdminClient admin) {
    this.source = source;
    this.member = member;
    this.admin = admin;
  }

  static JsonObject directory() {
    JsonArray users = new JsonArray();
    for (String member : List.of("a1", "b1")) {
      users.add(new JsonObject().put("id", member).put("maxConversations", 1));
    }
    for (String source : List.of("first", "s0", "s1")) {
      users.add(new JsonObject().put("id", source));
    }
    JsonObject queue = new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M");
    JsonObject front = policy(new JsonObject().put("type", "overflow").put("to", "back"));
    JsonObject slow = policy(new JsonObject().put("type", "overflow").put("to", "back").put("after", "PT1S"))
        .put("queue", queue);
    return new JsonObject().put("users", users).put("virtualUsers", new JsonArray()
        .add(virtualUser("front", "a1", front))
        .add(virtualUser("slow", "a1", slow))
        .add(virtualUser("back", "b1", new JsonObject().put("queue", queue).put("revealAgent", true))));
  }

  private static JsonObject policy(JsonObject overflow) {
    return new JsonObject().put("revealAgent", true)
        .put("chain", new JsonArray().add(new JsonObject().put("type", "least-load")).add(overflow));
  }

  private static JsonObject virtualUser(String id, String member, JsonObject policy) {
    return new JsonObject().put("id", id).put("members", new JsonArray().add(member)).put("policy", policy);
  }

  /** With a1 busy, an open to front is offered to b1 through back's chain; both decisions' traces say so. */
  void anOpenNobodyCanTakeGoesThroughTheOtherVirtualUsersChain() {
    TestClient a1 = member.apply("a1");
    TestClient b1 = member.apply("b1");
    NodeTestBase.openAccepted(source.apply("first"), "front", a1);

    TestClient s0 = source.apply("s0");
    s0.send(frame("open").put("id", "o1").put("to", "front"));
    JsonObject offer = b1.next("offer");
    assertEquals("back", offer.getString("to"));
    assertOk(b1.request(frame("accept").put("conversation", offer.getString("conversation"))));
    JsonObject opened = s0.next(f -> "o1".equals(f.getString("id")));
    assertEquals("opened", opened.getString("type"), opened::encode);
    assertEquals("back", opened.getString("to"));
    assertEquals("b1", opened.getString("agent"));

    JsonObject atFront = newestDecision("front", "overflow");
    JsonArray trace = atFront.getJsonArray("trace");
    assertTrue(trace.getJsonObject(trace.size() - 1).getString("reason").contains("overflows to back at once"),
        trace::encode);
    JsonObject atBack = newestDecision("back", "least-load");
    assertEquals("b1", atBack.getString("selected"));
    assertEquals("overflowed from front", atBack.getJsonArray("trace").getJsonObject(0).getString("reason"));
  }

  /** With a1 and b1 busy, an open to front waits in back's queue, and is served there once b1 frees up. */
  void anOverflowChainEndsWaitingInTheLastVirtualUsersQueue() {
    TestClient a1 = member.apply("a1");
    TestClient b1 = member.apply("b1");
    NodeTestBase.openAccepted(source.apply("first"), "front", a1);
    String blocking = NodeTestBase.openAccepted(source.apply("s1"), "back", b1);

    TestClient s0 = source.apply("s0");
    s0.send(frame("open").put("id", "o1").put("to", "front"));
    JsonObject queued = s0.next("queued");
    assertEquals("back", queued.getString("to"));
    assertEquals(1, queued.getInteger("position"));

    assertOk(b1.request(frame("close").put("conversation", blocking)));
    JsonObject offer = b1.next("offer");
    assertEquals(List.of("s0", "back"), List.of(offer.getString("from"), offer.getString("to")));
    a1.expectNothing();
  }

  /** With a1 busy, an open to slow waits in its queue, and after a second goes on to back, whose b1 is offered it. */
  void anOpenThatWaitedTheOverflowTimeMovesToTheOtherVirtualUser() {
    TestClient a1 = member.apply("a1");
    TestClient b1 = member.apply("b1");
    NodeTestBase.openAccepted(source.apply("first"), "slow", a1);

    TestClient s0 = source.apply("s0");
    s0.send(frame("open").put("id", "o1").put("to", "slow"));
    JsonObject queued = s0.next("queued");
    assertEquals("slow", queued.getString("to"));

    JsonObject offer = b1.next("offer");
    assertEquals("back", offer.getString("to"));
    assertEquals("s0", offer.getString("from"));
    a1.expectNothing();
    JsonArray trace = newestDecision("slow", "overflow").getJsonArray("trace");
    assertEquals("waited PT1S in the queue: it overflows to back", trace.getJsonObject(0).getString("reason"));
  }

  /** The newest decision recorded for {@code destination}, once it is one of {@code step} (decisions are recorded apart). */
  private JsonObject newestDecision(String destination, String step) {
    JsonObject[] newest = new JsonObject[1];
    NodeTestBase.eventually(Duration.ofSeconds(10), () -> {
      JsonArray decisions = admin.get("/api/v1/decisions?destination=" + destination).ok().getJsonArray("decisions");
      newest[0] = decisions.isEmpty() ? null : decisions.getJsonObject(0);
      return newest[0] != null && step.equals(newest[0].getString("step"));
    }, () -> "no " + step + " decision for " + destination + "; newest: " + newest[0]);
    return newest[0];
  }
}
