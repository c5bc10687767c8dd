package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/RULES.md end to end: each user's handling rules decide how incoming messages are handled, and tell it so. */
class HandlingRulesTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    // The 10,000-message hold is sent as fast as the test can write.
    return new String[] {"--rate-limit", "100000"};
  }

  private static JsonObject rule(String id, int priority, JsonObject when, JsonObject then) {
    return new JsonObject().put("id", id).put("priority", priority).put("when", when).put("then", then);
  }

  private static void setRules(TestClient client, JsonObject document) {
    assertOk(client.request(frame("set-rules").put("document", document)));
  }

  private static JsonObject send(TestClient client, String conversation, String body) {
    JsonObject ack = client.request(frame("send").put("conversation", conversation).put("body", body));
    assertEquals("ack", ack.getString("type"), ack::encode);
    return ack;
  }

  private static JsonObject message(TestClient client, String body) {
    JsonObject message = client.next("message");
    assertEquals(body, message.getString("body"), message::encode);
    return message;
  }

  @Test
  void theSeedsStoryThanksThenQuietClosingsThenARealQuestionPopsUp() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(abc, new JsonObject()
        .put("rules", new JsonArray().add(rule("quiet-closings", 10,
            new JsonObject().put("content", new JsonObject().put("class", "closing")),
            new JsonObject().put("notify", "none"))))
        .put("activations", new JsonArray().add(new JsonObject().put("id", "after-thanks")
            .put("on", new JsonObject().put("event", "sent").put("content", new JsonObject().put("class", "closing")))
            .put("activate", new JsonArray().add("quiet-closings")).put("for", "PT10M"))));
    String conversation = openAccepted(abc, "bob", bob);

    send(abc, conversation, "Where is my order 4711?");
    message(bob, "Where is my order 4711?");
    send(bob, conversation, "It ships today.");
    assertEquals("popup", message(abc, "It ships today.").getString("notify"));
    send(abc, conversation, "Thanks!");
    message(bob, "Thanks!");
    send(bob, conversation, "yw");
    assertEquals("none", message(abc, "yw").getString("notify"));
    send(bob, conversation, "ttyl");
    assertEquals("none", message(abc, "ttyl").getString("notify"));
    send(bob, conversation, "Oh, one more thing: do you need an invoice?");
    assertEquals("popup", message(abc, "Oh, one more thing: do you need an invoice?").getString("notify"));
  }

  @Test
  void messagesHeldWhileBusyAreReleasedInOrderWithNoticesAndUrgentOnesGetThrough() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, new JsonObject().put("rules", new JsonArray().add(rule("hold-when-busy", 20,
        new JsonObject().put("status", new JsonArray().add("busy"))
            .put("not", new JsonObject().put("content", new JsonObject().put("keywords", new JsonArray().add("urgent")))),
        new JsonObject().put("hold", true)))));
    String conversation = openAccepted(abc, "bob", bob);
    setStatus(bob, "busy");

    for (int i = 1; i <= 3; i++) {
      send(abc, conversation, "question " + i);
      JsonObject held = bob.next("notice");
      assertEquals("held", held.getString("action"));
      assertEquals("hold-when-busy", held.getString("rule"));
      assertEquals(conversation, held.getString("conversation"));
      assertEquals(i, held.getInteger("count"));
    }
    send(abc, conversation, "URGENT: the shop is on fire");
    assertEquals("popup", message(bob, "URGENT: the shop is on fire").getString("notify"));

    setStatus(bob, "online");
    for (int i = 1; i <= 3; i++) {
      message(bob, "question " + i);
    }
    JsonObject released = bob.next("notice");
    assertEquals("released", released.getString("action"));
    assertEquals(3, released.getInteger("count"));
  }

  @Test
  void tenThousandHeldMessagesAreReleasedInOrder() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    setRules(bob, new JsonObject().put("rules", new JsonArray().add(rule("hold", 1,
        new JsonObject().put("status", new JsonArray().add("away")), new JsonObject().put("hold", true)))));
    String conversation = openAccepted(abc, "bob", bob);
    setStatus(bob, "away");
    int count = 10_000;
    for (int i = 1; i <= count; i++) {
      abc.send(frame("send").put("id", "m" + i).put("conversation", conversation).put("body", "m" + i));
    }
    for (int i = 1; i <= count; i++) {
      assertEquals(i, bob.next("notice").getInteger("count"));
    }
    setStatus(bob, "online");
    for (int i = 1; i <= count; i++) {
      JsonObject message = bob.next("message");
      assertEquals("m" + i, message.getString("body"));
      assertEquals(i, message.getLong("seq"), "in order");
    }
    assertEquals(count, bob.next("notice").getInteger("count"));
  }

  @Test
  void automaticRepliesNeverAnswerAutomaticReplies() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    JsonObject alwaysAway = new JsonObject().put("rules", new JsonArray().add(rule("away", 1, new JsonObject(),
        new JsonObject().put("autoReply", "I am away."))));
    setRules(abc, alwaysAway);
    setRules(bob, alwaysAway);
    String conversation = openAccepted(abc, "bob", bob);

    send(abc, conversation, "hi bob");
    message(bob, "hi bob");
    JsonObject autoReply = message(abc, "I am away.");
    assertTrue(autoReply.getBoolean("auto"));
    JsonObject notice = bob.next("notice");
    assertEquals("auto-replied", notice.getString("action"));
    assertEquals("away", notice.getString("rule"));
    // abc's own rule matched bob's automatic reply, but an automatic reply is never answered.
    bob.expectNothing();
    abc.expectNothing();
  }

  @Test
  void droppedAndTranscriptOnlyMessagesAreNoticedAndTheTranscriptShowsHowEachWasHandled() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    setRules(bob, new JsonObject().put("rules", new JsonArray()
        .add(rule("no-spam", 1, new JsonObject().put("content", new JsonObject().put("regex", "(?i)buy now")),
            new JsonObject().put("drop", true)))
        .add(rule("fyi", 2, new JsonObject().put("content", new JsonObject().put("keywords", new JsonArray().add("fyi"))),
            new JsonObject().put("transcript", true)))));
    String conversation = openAccepted(abc, "bob", bob);

    send(abc, conversation, "BUY NOW, cheap!");
    assertEquals("dropped", bob.next("notice").getString("action"));
    send(abc, conversation, "FYI the shop closes early");
    assertEquals("transcript", bob.next("notice").getString("action"));
    send(abc, conversation, "hello");
    message(bob, "hello");

    JsonObject transcript = bob.request(frame("transcript").put("conversation", conversation));
    assertEquals("transcript", transcript.getString("type"), transcript::encode);
    List<String> handled = transcript.getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("body") + "=" + ((JsonObject) m).getString("handling")).toList();
    assertEquals(List.of("FYI the shop closes early=transcript", "hello=delivered"), handled);
    assertEquals(3, abc.request(frame("transcript").put("conversation", conversation)).getJsonArray("messages").size(),
        "the sender sees what it sent");
    TestClient carol = connect("carol");
    carol.expectError(carol.request(frame("transcript").put("conversation", conversation)), "forbidden");
  }

  @Test
  void aUserReadsAndReplacesItsRulesAndAnInvalidDocumentIsRefusedNamingTheProblem() {
    TestClient bob = connect("bob");
    JsonObject empty = bob.request(frame("get-rules"));
    assertEquals("rules", empty.getString("type"));
    assertTrue(empty.getJsonObject("document").getJsonArray("rules").isEmpty());

    JsonObject bad = bob.expectError(bob.request(frame("set-rules").put("document", new JsonObject()
        .put("rules", new JsonArray().add(rule("r", 1,
            new JsonObject().put("content", new JsonObject().put("regex", "(unclosed")), new JsonObject()))))), "bad_frame");
    assertTrue(bad.getString("message").contains("rules[0].when.content.regex"), bad::encode);
    bob.expectError(bob.request(frame("set-rules").put("document", new JsonObject().put("colour", "red"))), "bad_frame");
    bob.expectError(bob.request(frame("set-rules")), "bad_frame");

    JsonObject document = new JsonObject().put("timeZone", "Europe/Berlin").put("rules", new JsonArray()
        .add(rule("night", 30, new JsonObject().put("time", new JsonObject().put("from", "22:00").put("to", "07:00")),
            new JsonObject().put("autoReply", "Back at 7:00.").put("notify", "silent"))));
    setRules(bob, document);
    JsonObject stored = bob.request(frame("get-rules")).getJsonObject("document");
    assertEquals("Europe/Berlin", stored.getString("timeZone"));
    assertEquals("night", stored.getJsonArray("rules").getJsonObject(0).getString("id"));
    assertFalse(stored.getJsonArray("rules").isEmpty());
  }
}
