package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transfers (docs/PROTOCOL.md §Transfer) end to end on one node with the embedded store, over real clients. */
class TransferTest extends NodeTestBase {

  /** abc opens with shop and m1 accepts (m1 is the only member online then); a message each way. */
  private String conversationWithM1(TestClient abc, TestClient m1) {
    String conversation = openAccepted(abc, "shop", m1);
    abc.request(frame("send").put("conversation", conversation).put("body", "hello"));
    assertEquals(1, m1.next("message").getLong("seq"));
    m1.request(frame("send").put("conversation", conversation).put("body", "let me find a colleague"));
    assertEquals(2, abc.next("message").getLong("seq"));
    return conversation;
  }

  private static JsonObject transfer(String conversation, String to) {
    return frame("transfer").put("conversation", conversation).put("to", to);
  }

  private JsonObject memberLoads(String virtualUser) {
    JsonObject status = new JsonObject(node.admin().get("/api/v1/virtual-users/" + virtualUser + "/status").body());
    return new JsonObject(status.getJsonArray("members").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(member -> member.getString("id"), member -> member.getValue("load"))));
  }

  @Test
  void aMemberHandsAConversationToAnotherWhoCarriesItOnWithTheSameIdSeqAndTranscript() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    String conversation = conversationWithM1(abc, m1);
    TestClient m2 = connect("m2");

    m1.send(transfer(conversation, "m2").put("id", "t1").put("note", "wants a refund"));
    JsonObject offer = m2.next("offer");
    assertEquals(conversation, offer.getString("conversation"));
    assertEquals("abc", offer.getString("from"));
    assertEquals("shop", offer.getString("to"));
    assertEquals(new JsonObject().put("from", "m1").put("note", "wants a refund"), offer.getJsonObject("transfer"));
    assertOk(m2.request(frame("accept").put("conversation", conversation)));

    assertOk(m1.next(f -> "t1".equals(f.getString("id"))));
    Scrape.untilEquals(vertx, node.node.httpPort(), "switchboard_transfers_total", 1, "outcome", "transferred");
    JsonObject closed = m1.next("closed");
    assertEquals("transferred", closed.getString("reason"), closed::encode);
    JsonObject transferred = abc.next("transferred");
    assertEquals(new JsonObject().put("type", "transferred").put("conversation", conversation).put("to", "shop")
        .putNull("agent"), transferred);

    // the new member gets the conversation so far through resume
    m2.send(frame("resume").put("id", "r").put("conversation", conversation).put("after", 0));
    JsonObject first = m2.next("message");
    JsonObject second = m2.next("message");
    assertOk(m2.next(f -> "r".equals(f.getString("id"))));
    assertEquals(List.of(1L, 2L), List.of(first.getLong("seq"), second.getLong("seq")));
    assertEquals(List.of("abc", "m1"), List.of(first.getString("from"), second.getString("from")));
    assertEquals("let me find a colleague", second.getString("body"));

    // the seq counter goes on, both ways
    assertEquals(3, abc.request(frame("send").put("conversation", conversation).put("body", "thanks")).getLong("seq"));
    assertEquals(3, m2.next("message").getLong("seq"));
    assertEquals(4, m2.request(frame("send").put("conversation", conversation).put("body", "m2 here")).getLong("seq"));
    JsonObject reply = abc.next("message");
    assertEquals(List.of(4L, "shop"), List.of(reply.getLong("seq"), reply.getString("from")));
    m1.expectError(m1.request(frame("send").put("conversation", conversation).put("body", "still there?")), "forbidden");

    assertEquals(new JsonObject().put("m1", 0).put("m2", 1).put("m3", 0), memberLoads("shop"));
    JsonObject history = new JsonObject(node.admin().get("/api/v1/history?source=abc&destination=shop").body());
    assertEquals(new JsonArray().add("m2"), history.getJsonArray("records").getJsonObject(0).getJsonArray("subUsers"));

    assertOk(abc.request(frame("close").put("conversation", conversation)));
    assertEquals("closed", m2.next("closed").getString("reason"));
    assertEquals(new JsonObject().put("m1", 0).put("m2", 0).put("m3", 0), memberLoads("shop"));
  }

  @Test
  void aTransferToAnotherVirtualUserIsRoutedByItsChainAndShowsItsAgentWhenItRevealsIt() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    String conversation = conversationWithM1(abc, m1);
    TestClient s2 = connect("s2");

    m1.send(transfer(conversation, "strict").put("id", "t"));
    assertEquals("strict", s2.next("offer").getString("to"));
    assertOk(s2.request(frame("accept").put("conversation", conversation)));
    assertOk(m1.next(f -> "t".equals(f.getString("id"))));
    assertEquals("transferred", m1.next("closed").getString("reason"));
    JsonObject transferred = abc.next("transferred");
    assertEquals(List.of("strict", "s2"), List.of(transferred.getString("to"), transferred.getString("agent")));

    s2.request(frame("send").put("conversation", conversation).put("body", "strict here"));
    JsonObject message = abc.next("message");
    assertEquals(List.of("strict", "s2", 3L), List.of(message.getString("from"), message.getString("agent"),
        message.getLong("seq")));
    JsonObject decision = new JsonObject(node.admin().get("/api/v1/decisions?destination=strict&limit=1").body())
        .getJsonArray("decisions").getJsonObject(0);
    assertEquals(List.of(conversation, "s2"), List.of(decision.getString("conversation"), decision.getString("selected")));
    assertEquals("transfer", decision.getJsonArray("trace").getJsonObject(0).getString("step"), decision::encode);
    assertEquals(new JsonObject().put("s1", 0).put("s2", 1), memberLoads("strict"));
    assertEquals(0, memberLoads("shop").getInteger("m1"));
  }

  @Test
  void aDeclinedOrUnansweredTransferLeavesTheConversationWhereItWas() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    String conversation = conversationWithM1(abc, m1);
    TestClient m2 = connect("m2");

    m1.send(transfer(conversation, "m2").put("id", "declined"));
    m2.next("offer");
    assertOk(m2.request(frame("decline").put("conversation", conversation)));
    m1.expectError(m1.next(f -> "declined".equals(f.getString("id"))), "unavailable");

    // to the shop: its chain passes over m1, who holds it, and picks m2, whose offer times out after 1 s
    m1.send(transfer(conversation, "shop").put("id", "unanswered"));
    JsonObject offer = m2.next("offer");
    assertEquals(List.of("shop", "m1"), List.of(offer.getString("to"), offer.getJsonObject("transfer").getString("from")));
    assertEquals("timeout", m2.next("offer-withdrawn").getString("reason"));
    m1.expectError(m1.next(f -> "unanswered".equals(f.getString("id"))), "unavailable");

    assertEquals(3, abc.request(frame("send").put("conversation", conversation).put("body", "still there?")).getLong("seq"));
    assertEquals(3, m1.next("message").getLong("seq"));
    abc.expectNothing();
    assertEquals(new JsonObject().put("m1", 1).put("m2", 0).put("m3", 0), memberLoads("shop"));
  }

  @Test
  void aMemberThatHandsAConversationOnTakesTheHeadOfItsQueue() {
    node.admin().put("/api/v1/virtual-users/line", new JsonObject().put("members", new JsonArray().add("m1"))
        .put("policy", new JsonObject().put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT1M"))))
        .ok();
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    String first = openAccepted(connect("abc"), "line", m1);
    openAccepted(connect("bob"), "line", m1);
    TestClient carol = connect("carol");
    carol.send(frame("open").put("id", "waits").put("to", "line"));
    assertEquals(1, carol.next("queued").getInteger("position"), "m1 is at its capacity of 2");

    m1.send(transfer(first, "m2").put("id", "t"));
    assertOk(m2.request(frame("accept").put("conversation", m2.next("offer").getString("conversation"))));
    assertOk(m1.next(f -> "t".equals(f.getString("id"))));
    JsonObject offer = m1.next("offer");
    assertEquals(List.of("carol", "line"), List.of(offer.getString("from"), offer.getString("to")));
    assertOk(m1.request(frame("accept").put("conversation", offer.getString("conversation"))));
    assertEquals("opened", carol.next(f -> "waits".equals(f.getString("id"))).getString("type"));
  }

  @Test
  void badTransfersGetAClearErrorAndChangeNothing() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    TestClient bob = connect("bob");
    String conversation = conversationWithM1(abc, m1);
    connect("m2");

    bob.expectError(bob.request(transfer(conversation, "m2")), "forbidden");
    abc.expectError(abc.request(transfer(conversation, "m2")), "forbidden");
    m1.expectError(m1.request(transfer(conversation, "nobody")), "not_found");
    m1.expectError(m1.request(transfer(conversation, "m1")), "forbidden");
    m1.expectError(m1.request(transfer(conversation, "abc")), "forbidden");
    m1.expectError(m1.request(transfer("c-unknown", "m2")), "not_found");
    m1.expectError(m1.request(frame("transfer").put("conversation", conversation)), "bad_frame");
    m1.expectError(m1.request(transfer(conversation, "m2").put("note", "x".repeat(1001))), "bad_frame");
    m1.expectError(m1.request(transfer(conversation, "m2").put("note", 7)), "bad_frame");
    node.admin().put("/api/v1/virtual-users/closed", new JsonObject().put("members", new JsonArray().add("m2"))
        .put("policy", new JsonObject().put("hours", new JsonObject().put("zone", "UTC").put("weekly", new JsonObject())
            .put("message", "closed for the holidays")))).ok();
    String closed = m1.expectError(m1.request(transfer(conversation, "closed")), "unavailable").getString("message");
    assertTrue(closed.contains("closed for the holidays"), closed);

    assertEquals(3, abc.request(frame("send").put("conversation", conversation).put("body", "still there?")).getLong("seq"));
    assertEquals(3, m1.next("message").getLong("seq"));
    assertNull(abc.poll(TestClient.QUIET), "the source heard of nothing");
    assertEquals(new JsonObject().put("m1", 1).put("m2", 0).put("m3", 0), memberLoads("shop"));
  }
}
