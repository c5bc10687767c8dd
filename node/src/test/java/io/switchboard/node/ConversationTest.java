package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/POLICY.md, docs/PROTOCOL.md end to end: opening, offers, routing to members, messages and closing. */
class ConversationTest extends NodeTestBase {

  @Test
  void aCommonUserIsOfferedTheConversationDirectly() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    abc.send(frame("open").put("id", "o1").put("to", "bob"));
    JsonObject offer = bob.next("offer");
    assertEquals("abc", offer.getString("from"));
    assertEquals("bob", offer.getString("to"));
    assertTrue(offer.getLong("expires") > System.currentTimeMillis());
    assertOk(bob.request(frame("accept").put("conversation", offer.getString("conversation"))));
    JsonObject opened = abc.next("opened");
    assertEquals("o1", opened.getString("id"));
    assertEquals("bob", opened.getString("to"));
    assertTrue(opened.containsKey("agent"));
    assertNull(opened.getValue("agent"));
  }

  @Test
  void openingAnUnknownOrOfflineUserOrOneselfFails() {
    TestClient abc = connect("abc");
    abc.expectError(abc.request(frame("open").put("to", "ghost")), "not_found");
    abc.expectError(abc.request(frame("open").put("to", "bob")), "unavailable");
    abc.expectError(abc.request(frame("open").put("to", "shop")), "unavailable");
    abc.expectError(abc.request(frame("open").put("to", "abc")), "forbidden");
  }

  @Test
  void aVirtualUserThatIsOnlyAvailableOnlineRefusesWhileItsMembersAreBusy() {
    TestClient abc = connect("abc");
    TestClient s1 = connect("s1");
    setStatus(s1, "busy");
    abc.expectError(abc.request(frame("open").put("to", "strict")), "unavailable");
    setStatus(s1, "online");
    String conversation = openAccepted(abc, "strict", s1);
    assertTrue(conversation.startsWith("c-"));
  }

  @Test
  void theDefaultChainSpreadsByLeastLoadThenSticksToTheLastMember() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");

    // Nobody has history: least-load with equal loads and no assignments picks by id, m1.
    String first = openAccepted(abc, "shop", m1);
    // bob has no history either; m1 now carries one conversation, so least-load picks m2.
    openAccepted(bob, "shop", m2);
    assertOk(abc.request(frame("close").put("conversation", first)));
    abc.next("closed");
    // abc talked with m1 last: sticky brings abc back to m1, although m1 and m2 now have the same load.
    openAccepted(abc, "shop", m1);
  }

  @Test
  void aDeclineReRoutesToTheNextMember() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    abc.send(frame("open").put("id", "o").put("to", "shop"));
    JsonObject offer = m1.next("offer");
    assertOk(m1.request(frame("decline").put("conversation", offer.getString("conversation"))));
    JsonObject second = m2.next("offer");
    assertEquals(offer.getString("conversation"), second.getString("conversation"));
    assertEquals("shop", second.getString("to"));
    assertOk(m2.request(frame("accept").put("conversation", second.getString("conversation"))));
    assertEquals("opened", abc.next("opened").getString("type"));
    // m1's offer is gone: a late accept cannot take the conversation back.
    m1.expectError(m1.request(frame("accept").put("conversation", offer.getString("conversation"))), "gone");
  }

  @Test
  void anUnansweredOfferTimesOutAndMovesOnUntilMaxOffersThenTheSourceGetsTimeout() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    TestClient m3 = connect("m3");
    abc.send(frame("open").put("id", "o").put("to", "shop"));
    m1.next("offer");
    m2.next("offer");
    // maxOffers is 2 in the test policy: m3 is never asked.
    JsonObject error = abc.expectError(abc.next(f -> "o".equals(f.getString("id"))), "timeout");
    assertTrue(error.getString("message").contains("shop"));
    m3.expectNothing();
  }

  @Test
  void aDeclinedCommonUserGivesUnavailableAndAnUnansweredOneTimeout() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    abc.send(frame("open").put("id", "o").put("to", "bob"));
    assertOk(bob.request(frame("decline").put("conversation", bob.next("offer").getString("conversation"))));
    abc.expectError(abc.next(f -> "o".equals(f.getString("id"))), "unavailable");
  }

  @Test
  void everyConnectionOfTheChosenUserGetsTheOfferAndTheFirstAcceptWins() {
    TestClient abc = connect("abc");
    TestClient phone = connect("bob");
    TestClient desk = connectTcp("bob");
    abc.send(frame("open").put("id", "o").put("to", "bob"));
    String conversation = phone.next("offer").getString("conversation");
    assertEquals(conversation, desk.next("offer").getString("conversation"));
    assertOk(desk.request(frame("accept").put("conversation", conversation)));
    phone.expectError(phone.request(frame("accept").put("conversation", conversation)), "gone");
    assertEquals(conversation, abc.next("opened").getString("conversation"));
  }

  @Test
  void aMemberAtCapacityIsNotOfferedMore() {
    TestClient m1 = connect("m1");
    openAccepted(connect("abc"), "shop", m1);
    openAccepted(connect("bob"), "shop", m1);
    // m1 has maxConversations 2 and is the only member online.
    TestClient carol = connect("carol");
    carol.expectError(carol.request(frame("open").put("to", "shop")), "unavailable");
  }

  @Test
  void messagesFlowBothWaysWithOneSequenceAndTheAgentIsHidden() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    String conversation = openAccepted(abc, "shop", m1);

    JsonObject ack = abc.request(frame("send").put("conversation", conversation).put("body", "hello"));
    assertEquals("ack", ack.getString("type"));
    assertEquals(1, ack.getLong("seq"));
    JsonObject atAgent = m1.next("message");
    assertEquals("abc", atAgent.getString("from"));
    assertEquals("hello", atAgent.getString("body"));
    assertEquals(1, atAgent.getLong("seq"));
    assertEquals("popup", atAgent.getString("notify"));
    assertTrue(atAgent.getLong("ts") > 0);

    assertEquals(2, m1.request(frame("send").put("conversation", conversation).put("body", "hi, how can I help?")).getLong("seq"));
    JsonObject atSource = abc.next("message");
    assertEquals("shop", atSource.getString("from"), "the source sees the virtual user, not the member");
    assertTrue(!atSource.containsKey("agent"));
    assertEquals(2, atSource.getLong("seq"));
  }

  @Test
  void aRevealingVirtualUserNamesTheAgent() {
    TestClient abc = connect("abc");
    TestClient s1 = connect("s1");
    abc.send(frame("open").put("id", "o").put("to", "strict"));
    assertOk(s1.request(frame("accept").put("conversation", s1.next("offer").getString("conversation"))));
    JsonObject opened = abc.next("opened");
    assertEquals("s1", opened.getString("agent"));
    s1.request(frame("send").put("conversation", opened.getString("conversation")).put("body", "hi"));
    JsonObject message = abc.next("message");
    assertEquals("strict", message.getString("from"));
    assertEquals("s1", message.getString("agent"));
  }

  @Test
  void theOpenFramesContextOverridesTheSourcesProfileForRouting() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    // abc's profile puts it in Beijing, next to m1.
    String first = openAccepted(abc, "near", m1);
    assertOk(abc.request(frame("close").put("conversation", first)));
    // From Berlin, for this request only, m2 is nearer.
    abc.send(frame("open").put("id", "berlin").put("to", "near").put("context", new JsonObject().put("geo", BERLIN)));
    assertOk(m2.request(frame("accept").put("conversation", m2.next("offer").getString("conversation"))));
    assertEquals("opened", abc.next(f -> "berlin".equals(f.getString("id"))).getString("type"));
  }

  @Test
  void aThousandMessagesArriveInOrder() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    int count = 1000;
    for (int i = 1; i <= count; i++) {
      abc.send(frame("send").put("id", "m" + i).put("conversation", conversation).put("body", "message " + i));
    }
    for (int i = 1; i <= count; i++) {
      JsonObject message = bob.next("message");
      assertEquals(i, message.getLong("seq"));
      assertEquals("message " + i, message.getString("body"));
    }
    for (int i = 1; i <= count; i++) {
      JsonObject ack = abc.next("ack");
      assertEquals("m" + i, ack.getString("id"));
      assertEquals(i, ack.getLong("seq"));
    }
  }

  @Test
  void aWebSocketClientAndATcpClientTalk() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    String conversation = openAccepted(abc, "bob", bob);
    abc.request(frame("send").put("conversation", conversation).put("body", "über WebSocket ✓"));
    assertEquals("über WebSocket ✓", bob.next("message").getString("body"));
    bob.request(frame("send").put("conversation", conversation).put("body", "经由 TCP"));
    assertEquals("经由 TCP", abc.next("message").getString("body"));
  }

  @Test
  void aConversationThatIsNotYoursIsForbiddenAndAnUnknownOneNotFound() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    TestClient carol = connect("carol");
    carol.expectError(carol.request(frame("send").put("conversation", conversation).put("body", "x")), "forbidden");
    carol.expectError(carol.request(frame("close").put("conversation", conversation)), "forbidden");
    carol.expectError(carol.request(frame("send").put("conversation", "c-nope").put("body", "x")), "not_found");
    carol.expectError(carol.request(frame("accept").put("conversation", conversation)), "gone");
    abc.expectNothing();
    bob.expectNothing();
  }

  @Test
  void closingTellsBothSidesAndFreesTheMember() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    TestClient m1 = connect("m1");
    String first = openAccepted(abc, "shop", m1);
    openAccepted(bob, "shop", m1);

    assertOk(m1.request(frame("close").put("conversation", first)));
    JsonObject atSource = abc.next("closed");
    assertEquals(first, atSource.getString("conversation"));
    assertEquals("shop", atSource.getString("by"), "the source sees the virtual user close");
    assertEquals("m1", m1.next("closed").getString("by"));
    abc.expectError(abc.request(frame("send").put("conversation", first).put("body", "still there?")), "gone");
    abc.expectError(abc.request(frame("close").put("conversation", first)), "gone");

    // m1 was at capacity (2); the close released one unit, so carol gets m1.
    openAccepted(connect("carol"), "shop", m1);
  }

  @Test
  void messagesForABrieflyDisconnectedSideWaitForItsReturn() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    bob.close();
    bob.expectClosed();
    Set<Long> acked = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      acked.add(abc.request(frame("send").put("conversation", conversation).put("body", "while away " + i)).getLong("seq"));
    }
    assertEquals(Set.of(1L, 2L, 3L), acked);
    TestClient back = connectTcp("bob");
    for (int i = 1; i <= 3; i++) {
      JsonObject message = back.next("message");
      assertEquals(i, message.getLong("seq"));
      assertEquals("while away " + i, message.getString("body"));
    }
  }

  @Test
  void aClientResumesFromTheLastSeqItSaw() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    for (String body : List.of("one", "two", "three")) {
      abc.request(frame("send").put("conversation", conversation).put("body", body));
    }
    bob.request(frame("send").put("conversation", conversation).put("body", "four, from bob"));
    for (int seq = 1; seq <= 3; seq++) {
      assertEquals(seq, bob.next("message").getLong("seq"));
    }
    TestClient again = connectTcp("bob");
    again.send(frame("resume").put("id", "r").put("conversation", conversation).put("after", 1));
    assertEquals("two", again.next().getString("body"));
    assertEquals("three", again.next().getString("body"));
    assertOk(again.next());
    again.expectError(again.request(frame("resume").put("conversation", conversation).put("after", "x")), "bad_frame");
    TestClient carol = connect("carol");
    carol.expectError(carol.request(frame("resume").put("conversation", conversation).put("after", 0)), "forbidden");
  }

  @Test
  void openFramesWithBadFieldsAreRefusedWithoutOpeningAnything() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    abc.expectError(abc.request(frame("open")), "bad_frame");
    abc.expectError(abc.request(frame("open").put("to", 5)), "bad_frame");
    abc.expectError(abc.request(frame("open").put("to", "bob").put("context", "near")), "bad_frame");
    abc.expectError(abc.request(frame("open").put("to", "bob")
        .put("context", new JsonObject().put("geo", new JsonObject().put("lat", 200).put("lon", 0)))), "bad_frame");
    abc.expectError(abc.request(frame("send").put("conversation", "c-1")), "bad_frame");
    abc.expectError(abc.request(frame("accept")), "bad_frame");
    bob.expectNothing();
  }

  @Test
  void aStillOpenOfferIsNotConfusedWithAnotherConversation() {
    TestClient abc = connect("abc");
    TestClient carol = connect("carol");
    TestClient bob = connect("bob");
    abc.send(frame("open").put("id", "a").put("to", "bob"));
    carol.send(frame("open").put("id", "c").put("to", "bob"));
    JsonObject one = bob.next("offer");
    JsonObject two = bob.next("offer");
    assertNotEquals(one.getString("conversation"), two.getString("conversation"));
    assertOk(bob.request(frame("accept").put("conversation", two.getString("conversation"))));
    assertOk(bob.request(frame("decline").put("conversation", one.getString("conversation"))));
    TestClient opener = "abc".equals(two.getString("from")) ? abc : carol;
    TestClient refused = opener == abc ? carol : abc;
    assertEquals("opened", opener.next(f -> f.containsKey("id")).getString("type"));
    refused.expectError(refused.next(f -> f.containsKey("id")), "unavailable");
  }
}
