package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A side whose connections stay gone for the disconnect grace loses its conversations, and the load is released. */
class DisconnectTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--disconnect-grace", "PT0.5S"};
  }

  @Test
  void aSourceThatStaysAwayHasItsConversationClosedAndTheMemberFreed() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    TestClient m1 = connect("m1");
    String first = openAccepted(abc, "shop", m1);
    openAccepted(bob, "shop", m1);
    abc.close();
    JsonObject closed = m1.next("closed");
    assertEquals(first, closed.getString("conversation"));
    assertEquals("abc", closed.getString("by"));
    assertEquals("disconnected", closed.getString("reason"));
    // m1 was at capacity; the closed conversation released one unit.
    openAccepted(connect("carol"), "shop", m1);
  }

  @Test
  void aSideThatComesBackWithinTheGraceKeepsItsConversation() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    bob.close();
    bob.expectClosed();
    TestClient back = connect("bob");
    // Well past the grace: the conversation is still open and messages flow.
    back.expectNothing();
    back.expectNothing();
    assertEquals("ack", abc.request(frame("send").put("conversation", conversation).put("body", "still here")).getString("type"));
    assertEquals("still here", back.next("message").getString("body"));
  }
}
