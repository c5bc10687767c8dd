package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeds' stories end to end (issue 11), over real WebSocket and TCP clients of a real node; each store runs
 * them (see its subclass). Capacity is one number per member, activations fire on every status, released messages
 * are delivered ones, full mailboxes and held lists refuse and say so, and the small divergences: history exactly {@code expiration} old, status in the tie-break,
 * long activities, a profile changed while connected, the sender's activation stored before its ack.
 */
abstract class SeedStories extends NodeTestBase {

  final StoppableClock clock = new StoppableClock();

  /** The options that choose the store. */
  abstract List<String> storeOptions();

  /** Small bounds of the messages waiting per user, so that a test fills them. */
  static final int MAX_MAILBOX = 10;
  static final int MAX_HELD = 3;

  @Override
  final String[] nodeOptions() {
    List<String> options = new ArrayList<>(storeOptions());
    options.addAll(List.of("--max-mailbox-messages", Integer.toString(MAX_MAILBOX),
        "--max-held-messages", Integer.toString(MAX_HELD)));
    return options.toArray(String[]::new);
  }

  @Override
  final Clock clock() {
    return clock;
  }

  @AfterEach
  void restartClock() {
    clock.restart();
  }

  static JsonObject rule(String id, JsonObject when, JsonObject then) {
    return new JsonObject().put("id", id).put("when", when).put("then", then);
  }

  static void setRules(TestClient client, JsonObject document) {
    assertOk(client.request(frame("set-rules").put("document", document)));
  }

  static JsonObject send(TestClient client, String conversation, String body) {
    JsonObject ack = client.request(frame("send").put("conversation", conversation).put("body", body));
    assertEquals("ack", ack.getString("type"), ack::encode);
    return ack;
  }

  static JsonObject message(TestClient client, String body) {
    JsonObject message = client.next("message");
    assertEquals(body, message.getString("body"), message::encode);
    return message;
  }

  /** The error answering an open of {@code to} by {@code source}. */
  static JsonObject openRefused(TestClient source, String to, String code) {
    return source.expectError(source.request(frame("open").put("to", to)), code);
  }

  // --- 1. capacity per member

  @Test
  void aMembersCapacityIsOneNumberAcrossItsVirtualUsersAndDirectConversations() {
    // m1 (capacity 2) serves shop and near; m2 and m3 are offline, so only m1 can take anything.
    TestClient m1 = connectTcp("m1");
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    TestClient carol = connectTcp("carol");

    String direct = openAccepted(carol, "m1", m1);
    openAccepted(bob, "shop", m1);
    JsonObject viaNear = openRefused(abc, "near", "unavailable");
    assertTrue(viaNear.getString("message").contains("near"), viaNear::encode);
    JsonObject directly = openRefused(abc, "m1", "unavailable");
    assertTrue(directly.getString("message").contains("capacity"), directly::encode);

    // The direct conversation's close gives its unit back to the one count: near may offer m1 again.
    assertOk(carol.request(frame("close").put("conversation", direct)));
    openAccepted(abc, "near", m1);
    openRefused(carol, "shop", "unavailable");
  }

  // --- 3. activations on every status

  @Test
  void anActivationOnOfflineFiresWhenTheUsersLastConnectionCloses() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    setRules(bob, goneForTheDayOn("offline"));
    // A status no document accepts is refused, naming it, and changes nothing.
    JsonObject refused = bob.expectError(bob.request(frame("set-rules").put("document", goneForTheDayOn("gone"))),
        "bad_frame");
    assertTrue(refused.getString("message").contains("\"gone\""), refused::encode);
    String conversation = openAccepted(abc, "bob", bob);
    send(abc, conversation, "before you leave");
    assertEquals(false, message(bob, "before you leave").getBoolean("auto", false), "the rule is not active yet");
    abc.expectNothing();

    bob.close();
    // bob's conversation waits for the disconnect grace; the offline change activated the kept rule meanwhile.
    JsonObject reply = pollUntil(abc, conversation, "are you there?", "I am gone for the day.");
    assertTrue(reply.getBoolean("auto"), reply::encode);
  }

  private static JsonObject goneForTheDayOn(String status) {
    return new JsonObject()
        .put("rules", new JsonArray().add(rule("gone-for-the-day", new JsonObject(),
            new JsonObject().put("autoReply", "I am gone for the day."))))
        .put("activations", new JsonArray().add(new JsonObject().put("id", "on-leaving")
            .put("on", new JsonObject().put("event", "status").put("status", new JsonArray().add(status)))
            .put("activate", new JsonArray().add("gone-for-the-day")).put("for", "PT1H")));
  }

  /**
   * Sends {@code body} until the automatic reply {@code expected} comes back (the offline change reaches presence
   * a moment after the connection closed); the reply to the first message sent after the change is the one.
   */
  private static JsonObject pollUntil(TestClient sender, String conversation, String body, String expected) {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      send(sender, conversation, body);
      JsonObject reply = sender.poll(Duration.ofMillis(500));
      if (reply != null && "message".equals(reply.getString("type"))) {
        assertEquals(expected, reply.getString("body"), reply::encode);
        return reply;
      }
    }
    throw new AssertionError("no automatic reply within " + TestClient.WAIT);
  }

  // --- 4. released messages are delivered ones

  static JsonObject holdWhileBusy() {
    return new JsonObject().put("rules", new JsonArray().add(rule("hold-when-busy",
        new JsonObject().put("status", new JsonArray().add("busy")), new JsonObject().put("hold", true))));
  }

  /** The messages {@code resume} sends, in order, up to its ok. */
  static List<JsonObject> resume(TestClient client, String conversation, long after) {
    client.send(frame("resume").put("id", "resume-" + conversation).put("conversation", conversation).put("after", after));
    List<JsonObject> messages = new ArrayList<>();
    while (true) {
      JsonObject frame = client.next(f -> "message".equals(f.getString("type"))
          || ("resume-" + conversation).equals(f.getString("id")));
      if (!"message".equals(frame.getString("type"))) {
        assertOk(frame);
        return messages;
      }
      messages.add(frame);
    }
  }

  @Test
  void aReleasedMessageIsDeliveredWithItsOriginalSeqAndResumeReturnsIt() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    setRules(bob, holdWhileBusy());
    String conversation = openAccepted(abc, "bob", bob);
    setStatus(bob, "busy");
    long one = send(abc, conversation, "one").getLong("seq");
    long two = send(abc, conversation, "two").getLong("seq");
    assertEquals(1, bob.next("notice").getInteger("count"));
    assertEquals(2, bob.next("notice").getInteger("count"));
    assertTrue(resume(bob, conversation, 0).isEmpty(), "held messages are not delivered yet");

    setStatus(bob, "online");
    assertEquals(one, message(bob, "one").getLong("seq"));
    assertEquals(two, message(bob, "two").getLong("seq"));
    assertEquals("released", bob.next("notice").getString("action"));

    // A connection that missed them (lost in transit, or another device) gets them back with resume.
    TestClient phone = connect("bob");
    assertEquals(List.of(one, two), resume(phone, conversation, 0).stream().map(m -> m.getLong("seq")).toList());
    assertEquals(List.of(two), resume(phone, conversation, one).stream().map(m -> m.getLong("seq")).toList());
    JsonObject transcript = phone.request(frame("transcript").put("conversation", conversation));
    assertEquals(List.of("delivered", "delivered"), transcript.getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("handling")).toList(), transcript::encode);
    // Bad input changes nothing: a resume of a conversation that is not bob's is refused.
    phone.expectError(phone.request(frame("resume").put("conversation", "c-nobodys").put("after", 0)), "not_found");
  }

  // --- 5. bounds that refuse, and say so

  private static List<String> bodies(JsonObject transcript) {
    return transcript.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("body")).toList();
  }

  @Test
  void pastTheHeldBoundTheSenderGetsAnErrorAndTheRecipientANoticeWithTheCount() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    setRules(bob, holdWhileBusy());
    String conversation = openAccepted(abc, "bob", bob);
    setStatus(bob, "busy");
    for (int i = 1; i <= MAX_HELD; i++) {
      send(abc, conversation, "held " + i);
      assertEquals(i, bob.next("notice").getInteger("count"));
    }

    for (int refused = 1; refused <= 2; refused++) {
      JsonObject error = abc.expectError(abc.request(frame("send").put("conversation", conversation)
          .put("body", "too many " + refused)), "unavailable");
      assertTrue(error.getString("message").contains("on hold"), error::encode);
      JsonObject notice = bob.next("notice");
      assertEquals(new JsonObject().put("type", "notice").put("action", "held-full").put("rule", "hold-when-busy")
          .put("conversation", conversation).put("count", refused), notice);
    }
    assertEquals(2, node.node.connectionCounters().refusedMessages(), "the node counts what it refused");
    // The refused messages changed nothing: neither side's transcript has them, and nothing held was dropped.
    List<String> held = List.of("held 1", "held 2", "held 3");
    assertEquals(held, bodies(bob.request(frame("transcript").put("conversation", conversation))));
    assertEquals(held, bodies(abc.request(frame("transcript").put("conversation", conversation))));

    setStatus(bob, "online");
    held.forEach(body -> message(bob, body));
    assertEquals(MAX_HELD, bob.next("notice").getInteger("count"));
    setStatus(bob, "busy");
    send(abc, conversation, "held again");
    assertEquals(1, bob.next("notice").getInteger("count"), "released, the list takes messages again");
  }

  /** Closes {@code bob}'s only connection and waits until {@code watcher} sees it offline. */
  private static void leave(TestClient watcher, TestClient bob) {
    assertOk(watcher.request(frame("watch").put("users", new JsonArray().add("bob"))));
    watcher.next(frame -> "presence".equals(frame.getString("type")) && "online".equals(frame.getString("status")));
    bob.close();
    watcher.next(frame -> "presence".equals(frame.getString("type")) && "offline".equals(frame.getString("status")));
  }

  @Test
  void heldMessagesRefusedWhileTheRecipientHadNoConnectionAreToldOnItsNextOne() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    setRules(bob, new JsonObject().put("rules", new JsonArray().add(rule("hold-while-away",
        new JsonObject().put("status", new JsonArray().add("offline")), new JsonObject().put("hold", true)))));
    String conversation = openAccepted(abc, "bob", bob);
    leave(abc, bob);
    for (int i = 1; i <= MAX_HELD; i++) {
      send(abc, conversation, "held " + i);
    }
    for (int i = 1; i <= 2; i++) {
      abc.expectError(abc.request(frame("send").put("conversation", conversation).put("body", "too many " + i)),
          "unavailable");
    }

    TestClient back = connect("bob");
    for (int i = 1; i <= MAX_HELD; i++) {
      message(back, "held " + i);
    }
    // The release and the mailbox's notices come from different nodes' roles: in either order.
    Map<String, JsonObject> notices = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      JsonObject notice = back.next("notice");
      notices.put(notice.getString("action"), notice);
    }
    assertEquals(MAX_HELD, notices.get("released").getInteger("count"), notices::toString);
    assertEquals(new JsonObject().put("type", "notice").put("action", "held-full").put("conversation", null)
        .put("count", 2), notices.get("held-full"));
  }

  @Test
  void pastTheMailboxBoundTheSenderGetsAnErrorAndTheRecipientIsToldOnItsNextConnection() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    String conversation = openAccepted(abc, "bob", bob);
    leave(abc, bob);

    List<Long> queued = new ArrayList<>();
    for (int i = 1; i <= MAX_MAILBOX; i++) {
      queued.add(send(abc, conversation, "m" + i).getLong("seq"));
    }
    for (int i = 1; i <= 2; i++) {
      JsonObject error = abc.expectError(abc.request(frame("send").put("conversation", conversation)
          .put("body", "too many " + i)), "unavailable");
      assertTrue(error.getString("message").contains("mailbox is full"), error::encode);
    }

    assertEquals(2, node.node.connectionCounters().refusedMessages(), "the node counts what it refused");
    TestClient back = connect("bob");
    List<Long> received = new ArrayList<>();
    for (int i = 1; i <= MAX_MAILBOX; i++) {
      received.add(message(back, "m" + i).getLong("seq"));
    }
    assertEquals(queued, received, "nothing waiting was dropped");
    assertEquals(new JsonObject().put("type", "notice").put("action", "mailbox-full").put("conversation", null)
        .put("count", 2), back.next("notice"));
    assertEquals(queued, resume(back, conversation, 0).stream().map(m -> m.getLong("seq")).toList(),
        "the refused messages were never delivered");
    // The mailbox was emptied: the count starts again, and the next message goes straight through.
    send(abc, conversation, "welcome back");
    message(back, "welcome back");
  }

  // --- 6. small divergences

  @Test
  void aHistoryRecordExactlyAsOldAsTheExpirationStillSticks() {
    TestClient m1 = connectTcp("m1");
    TestClient m2 = connectTcp("m2");
    TestClient abc = connect("abc");
    long now = clock.stop().toEpochMilli();
    long dayAgo = now - Duration.ofHours(24).toMillis();
    node.admin().post("/api/v1/history", new JsonObject().put("records", new JsonArray()
        .add(record(dayAgo, "abc", "m2")).add(record(dayAgo - 1, "bob", "m2"))));

    // Without the record, least-load would pick m1 (same load, first by id).
    openAccepted(abc, "shop", m2);
    // A record a millisecond older has expired: bob goes by least load (m1, as m2 now holds one).
    TestClient bob = connect("bob");
    openAccepted(bob, "shop", m1);
  }

  private static JsonObject record(long ts, String source, String member) {
    return new JsonObject().put("ts", ts).put("source", source).put("destination", "shop")
        .put("subUsers", new JsonArray().add(member));
  }

  @Test
  void atEqualLoadAnOnlineMemberIsPreferredToABusyOne() {
    TestClient m1 = connectTcp("m1");
    TestClient m2 = connectTcp("m2");
    setStatus(m1, "busy");
    TestClient bob = connect("bob");

    // m1 comes first by id and was never assigned; its status puts it after m2.
    openAccepted(bob, "shop", m2);
    m1.expectNothing();
    // At a lower load, busy m1 still wins: load comes first.
    TestClient carol = connect("carol");
    openAccepted(carol, "shop", m1);
  }

  @Test
  void activitiesOfUpTo256CharactersCanBeMatchedAndLongerOnesAreRefused() {
    String activity = "presenting the quarterly figures to the board; ".repeat(6).substring(0, 256);
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    JsonObject quiet = new JsonObject().put("rules", new JsonArray().add(rule("quiet-while-presenting",
        new JsonObject().put("activity", new JsonArray().add(activity)), new JsonObject().put("notify", "silent"))));
    setRules(bob, quiet);
    JsonObject tooLong = new JsonObject().put("rules", new JsonArray().add(rule("never",
        new JsonObject().put("activity", new JsonArray().add(activity + "!")), new JsonObject().put("notify", "none"))));
    JsonObject refused = bob.expectError(bob.request(frame("set-rules").put("document", tooLong)), "bad_frame");
    assertTrue(refused.getString("message").contains("1 to 256 characters"), refused::encode);
    JsonObject kept = bob.request(frame("get-rules")).getJsonObject("document");
    assertEquals("quiet-while-presenting", kept.getJsonArray("rules").getJsonObject(0).getString("id"),
        "the refused document changed nothing: " + kept.encode());
    bob.expectError(bob.request(frame("status").put("status", "busy").put("activity", activity + "!")), "bad_frame");

    assertOk(bob.request(frame("status").put("status", "busy").put("activity", activity)));
    String conversation = openAccepted(abc, "bob", bob);
    send(abc, conversation, "got a minute?");
    assertEquals("silent", message(bob, "got a minute?").getString("notify"));
  }

  @Test
  void aProfileChangedThroughTheAdminApiAppliesToTheConnectedSourcesNextOpen() {
    TestClient m1 = connectTcp("m1");
    TestClient m2 = connectTcp("m2");
    TestClient abc = connect("abc");
    // abc lives in Beijing: near routes it to m1, in Beijing.
    String first = openAccepted(abc, "near", m1);
    assertOk(abc.request(frame("close").put("conversation", first)));

    AdminClient admin = node.admin();
    admin.put("/api/v1/users/abc", new JsonObject().put("id", "abc").put("geo", BERLIN)).ok();
    openAccepted(abc, "near", m2);

    // A profile that does not validate is refused and changes nothing: abc is still in Berlin.
    admin.put("/api/v1/users/abc", new JsonObject().put("id", "abc")
        .put("geo", new JsonObject().put("lat", 391).put("lon", 0))).error(400, "bad_request");
    openAccepted(abc, "near", m2);
  }

  @Test
  void theSendersActivationIsStoredBeforeItsAckSoTheReplyThatFollowsIsJudgedWithIt() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    setRules(abc, new JsonObject()
        .put("rules", new JsonArray().add(rule("quiet-closings",
            new JsonObject().put("content", new JsonObject().put("class", "closing")),
            new JsonObject().put("notify", "none"))))
        .put("activations", new JsonArray().add(new JsonObject().put("id", "after-thanks")
            .put("on", new JsonObject().put("event", "sent").put("content", new JsonObject().put("class", "closing")))
            .put("activate", new JsonArray().add("quiet-closings")).put("for", "PT10M"))));
    List<String> conversations = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      conversations.add(openAccepted(abc, "bob", bob));
    }
    // Each reply is sent the moment the thanks is acknowledged, not once bob has read it.
    for (String conversation : conversations) {
      send(abc, conversation, "Thanks!");
      send(bob, conversation, "yw");
      JsonObject reply = abc.next(frame -> "message".equals(frame.getString("type"))
          && conversation.equals(frame.getString("conversation")));
      assertEquals("none", reply.getString("notify"), reply::encode);
    }
  }
}
