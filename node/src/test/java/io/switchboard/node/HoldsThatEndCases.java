package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/RULES.md § "When a held message is released", end to end over real clients: a held message is released once
 * the rule that held it would no longer hold it, and a hold that could never end is refused. Run on each store.
 */
abstract class HoldsThatEndCases extends NodeTestBase {

  /** The node starts at 10:59:52 UTC today: a window that ends at 11:00 ends 8 s into each test. */
  @Override
  Clock clock() {
    Instant now = Instant.now();
    Instant start = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(10, 59, 52).toInstant(ZoneOffset.UTC);
    return Clock.offset(Clock.systemUTC(), Duration.between(now, start));
  }

  private static JsonObject document(JsonObject... rules) {
    return new JsonObject().put("rules", new JsonArray(List.of((Object[]) rules)));
  }

  private static JsonObject rule(String id, JsonObject when, JsonObject then) {
    return new JsonObject().put("id", id).put("when", when).put("then", then);
  }

  private static JsonObject holdWhile(String key, String... values) {
    return new JsonObject().put(key, new JsonArray(List.of((Object[]) values)));
  }

  private static final JsonObject HOLD = new JsonObject().put("hold", true);

  private static void setRules(TestClient client, JsonObject document) {
    assertOk(client.request(frame("set-rules").put("document", document)));
  }

  private static void send(TestClient client, String conversation, String body) {
    JsonObject ack = client.request(frame("send").put("conversation", conversation).put("body", body));
    assertEquals("ack", ack.getString("type"), ack::encode);
  }

  private static void assertNotice(JsonObject notice, String action, String rule, int count) {
    assertEquals(action, notice.getString("action"), notice::encode);
    assertEquals(rule, notice.getString("rule"), notice::encode);
    assertEquals(count, notice.getInteger("count"), notice::encode);
  }

  /** The released message, naming the rule that held it, then the notice of its release. */
  private static void assertReleased(TestClient client, String body, String rule) {
    JsonObject message = client.next("message");
    assertEquals(body, message.getString("body"), message::encode);
    assertEquals(rule, message.getString("rule"), message::encode);
    assertNotice(client.next("notice"), "released", rule, 1);
  }

  @Test
  void aHoldWhileBusyOrAwayLastsFromBusyToAwayAndEndsOnline() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, document(rule("busy-or-away", holdWhile("status", "busy", "away"), HOLD)));
    String conversation = openAccepted(abc, "bob", bob);
    setStatus(bob, "busy");
    send(abc, conversation, "question 1");
    assertNotice(bob.next("notice"), "held", "busy-or-away", 1);

    setStatus(bob, "away");
    bob.expectNothing();
    setStatus(bob, "online");
    assertReleased(bob, "question 1", "busy-or-away");
  }

  @Test
  void aHoldWithUntilEndsByItselfWhileTheUserStaysOnline() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, document(rule("invoices", new JsonObject().put("content", holdWhile("keywords", "invoice")),
        new JsonObject().put("hold", new JsonObject().put("until", "PT2S")))));
    String conversation = openAccepted(abc, "bob", bob);
    send(abc, conversation, "your invoice is attached");
    assertNotice(bob.next("notice"), "held", "invoices", 1);
    send(abc, conversation, "hello");
    JsonObject hello = bob.next("message");
    assertEquals("hello", hello.getString("body"));
    assertNull(hello.getString("rule"), "no rule decided it");

    assertReleased(bob, "your invoice is attached", "invoices");
  }

  @Test
  void aHoldInATimeWindowEndsWhenTheWindowDoes() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, document(rule("before-eleven", new JsonObject().put("time",
        new JsonObject().put("from", "10:00").put("to", "11:00")), HOLD)).put("timeZone", "UTC"));
    String conversation = openAccepted(abc, "bob", bob);
    send(abc, conversation, "morning question");
    assertNotice(bob.next("notice"), "held", "before-eleven", 1);

    assertReleased(bob, "morning question", "before-eleven");
  }

  @Test
  void aHoldOfAnActivatedRuleEndsWithTheActivation() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, document(rule("after-brb", new JsonObject(), HOLD)).put("activations", new JsonArray().add(
        new JsonObject().put("id", "brb").put("on", new JsonObject().put("event", "sent")
                .put("content", holdWhile("keywords", "brb")))
            .put("activate", new JsonArray().add("after-brb")).put("for", "PT3S"))));
    String conversation = openAccepted(abc, "bob", bob);
    send(bob, conversation, "brb");
    abc.next("message");
    // The activation is recorded after bob's ack: abc asks until one question is held.
    String held = null;
    for (int i = 1; held == null; i++) {
      assertTrue(i <= 20, "no message was held after brb");
      send(abc, conversation, "there? " + i);
      JsonObject frame = bob.next(f -> "message".equals(f.getString("type")) || "notice".equals(f.getString("type")));
      if ("notice".equals(frame.getString("type"))) {
        assertNotice(frame, "held", "after-brb", 1);
        held = "there? " + i;
      }
    }
    assertReleased(bob, held, "after-brb");
  }

  @Test
  void aHoldOnAnActivityEndsWhenTheActivityDoes() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, document(rule("presenting", holdWhile("activity", "presenting"), HOLD)));
    String conversation = openAccepted(abc, "bob", bob);
    assertOk(bob.request(frame("status").put("status", "online").put("activity", "presenting")));
    send(abc, conversation, "a question during the talk");
    assertNotice(bob.next("notice"), "held", "presenting", 1);

    setStatus(bob, "online");
    assertReleased(bob, "a question during the talk", "presenting");
  }

  @Test
  void aHoldEndsWhenTheUserChangesItsRules() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, document(rule("busy", holdWhile("status", "busy"), HOLD)));
    String conversation = openAccepted(abc, "bob", bob);
    setStatus(bob, "busy");
    send(abc, conversation, "still there?");
    assertNotice(bob.next("notice"), "held", "busy", 1);

    setRules(bob, document());
    JsonObject message = bob.next("message");
    assertEquals("still there?", message.getString("body"));
    assertNotice(bob.next("notice"), "released", "busy", 1);
  }

  @Test
  void aHoldThatCouldNeverEndIsRefusedAndTheRulesStayAsTheyWere() {
    TestClient bob = connect("bob");
    JsonObject before = document(rule("busy", holdWhile("status", "busy"), HOLD));
    setRules(bob, before);
    JsonObject refused = bob.expectError(bob.request(frame("set-rules").put("document",
        document(rule("invoices", new JsonObject().put("content", holdWhile("keywords", "invoice")), HOLD)))),
        "bad_frame");
    assertEquals("rules[0].then.hold: could never end: a hold needs a status, activity or time condition, an"
        + " activation, or {\"until\": <duration>}", refused.getString("message"));
    JsonObject stored = bob.request(frame("get-rules")).getJsonObject("document");
    assertEquals("busy", stored.getJsonArray("rules").getJsonObject(0).getString("id"));
    assertFalse(stored.encode().contains("invoice"));
  }
}
