package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits against a client abusing routing and presence: one pending open per source and destination, a bounded rate
 * of offers to one member, and a bound on what one connection watches and asks of presence.
 */
class AbuseLimitsTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--member-offers-per-second", "1"};
  }

  @Test
  void aSourceHasOneOpenPendingPerDestinationAndTheNextAfterItsAnswer() {
    TestClient m1 = connect("m1");
    TestClient abc = connect("abc");
    abc.send(frame("open").put("id", "o1").put("to", "shop"));
    JsonObject offer = m1.next("offer");

    abc.expectError(abc.request(frame("open").put("id", "o2").put("to", "shop")), "rate_limited");
    abc.expectError(abc.request(frame("open").put("id", "o3").put("to", "m2")), "unavailable");

    assertOk(m1.request(frame("decline").put("conversation", offer.getString("conversation"))));
    abc.next(reply -> "o1".equals(reply.getString("id")));
    connect("m2");
    JsonObject o4 = abc.request(frame("open").put("id", "o4").put("to", "shop"));
    assertEquals("error", o4.getString("type"), "another open may wait once the first was answered");
    assertTrue(!"rate_limited".equals(o4.getString("code")), o4::encode);
  }

  @Test
  void aMemberGetsAtMostItsOffersPerSecondAndTheRestFindNobody() {
    TestClient m1 = connect("m1");
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    abc.send(frame("open").put("id", "a").put("to", "shop"));
    m1.next("offer");

    JsonObject refused = bob.request(frame("open").put("id", "b").put("to", "shop"));

    bob.expectError(refused, "unavailable");
    assertTrue(refused.getString("message").contains("were taken") || refused.getString("message").contains("no member"),
        refused::encode);
    m1.expectNothing();
  }

  @Test
  void aConnectionAsksThePresenceOfUsersAtABoundedRateWhileOthersAreServed() {
    TestClient abc = connect("abc");
    JsonArray everyone = new JsonArray(java.util.List.of("m1", "m2", "m3", "s1", "s2", "r1", "r2", "r3", "r4", "bob",
        "carol", "shop", "strict", "near", "rush"));
    int frames = 100;
    for (int i = 0; i < frames; i++) {
      abc.send(frame("watch").put("id", "w" + i).put("users", everyone));
    }
    TestClient bob = connect("bob");
    assertOk(bob.request(frame("watch").put("users", new JsonArray().add("m1"))));

    long limited = IntStream.range(0, frames).mapToObj(i -> abc.next(reply -> ("w" + i).equals(reply.getString("id"))))
        .filter(reply -> "rate_limited".equals(reply.getString("code"))).count();
    assertTrue(limited >= frames / 5, "1,500 presence reads at once pass the burst of 1,000: " + limited + " refused");
  }
}
