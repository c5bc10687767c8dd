package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/PRODUCT.md §Presence as a client sees it: status, watch/unwatch, and the aggregated status of a virtual user. */
class PresenceTest extends NodeTestBase {

  private TestClient watch(String user, String... watched) {
    TestClient watcher = connect(user);
    assertOk(watcher.request(frame("watch").put("users", new JsonArray(java.util.List.of((Object[]) watched)))));
    return watcher;
  }

  private static void expectPresence(TestClient watcher, String user, String status) {
    JsonObject presence = watcher.next("presence");
    assertEquals(user, presence.getString("user"), presence::encode);
    assertEquals(status, presence.getString("status"), presence::encode);
  }

  @Test
  void watchingGivesTheCurrentStatusAtOnceThenEveryChange() {
    TestClient watcher = watch("abc", "bob");
    JsonObject first = watcher.next("presence");
    assertEquals("offline", first.getString("status"));
    assertFalse(first.getBoolean("virtual"));

    TestClient bob = connect("bob");
    expectPresence(watcher, "bob", "online");
    setStatus(bob, "away");
    expectPresence(watcher, "bob", "away");
    bob.close();
    expectPresence(watcher, "bob", "offline");
  }

  @Test
  void aVirtualUserAggregatesItsMembersInEachOfTheFourCases() {
    TestClient watcher = watch("abc", "shop");
    JsonObject initial = watcher.next("presence");
    assertEquals("offline", initial.getString("status"), "every member offline");
    assertTrue(initial.getBoolean("virtual"));

    TestClient m1 = connect("m1");
    expectPresence(watcher, "shop", "online");
    setStatus(m1, "away");
    expectPresence(watcher, "shop", "away");

    TestClient m2 = connect("m2");
    expectPresence(watcher, "shop", "online");
    setStatus(m2, "busy");
    expectPresence(watcher, "shop", "busy");

    m2.close();
    expectPresence(watcher, "shop", "away");
    m1.close();
    expectPresence(watcher, "shop", "offline");
  }

  @Test
  void aChangeThatLeavesTheAggregateAsItWasIsNotSent() {
    TestClient m1 = connect("m1");
    TestClient watcher = watch("abc", "shop");
    expectPresence(watcher, "shop", "online");
    connect("m2");
    setStatus(m1, "busy");
    watcher.expectNothing();
  }

  @Test
  void aUserOnSeveralDevicesHasTheStatusItSetLastAndIsOfflineOnlyWhenAllAreGone() {
    TestClient watcher = watch("abc", "bob");
    expectPresence(watcher, "bob", "offline");
    TestClient phone = connect("bob");
    expectPresence(watcher, "bob", "online");
    TestClient desk = connectTcp("bob");
    setStatus(phone, "busy");
    expectPresence(watcher, "bob", "busy");
    setStatus(desk, "away");
    expectPresence(watcher, "bob", "away");
    phone.close();
    watcher.expectNothing();
    desk.close();
    expectPresence(watcher, "bob", "offline");
  }

  @Test
  void unwatchStopsTheFrames() {
    TestClient watcher = watch("abc", "bob");
    watcher.next("presence");
    assertOk(watcher.request(frame("unwatch").put("users", new JsonArray().add("bob"))));
    connect("bob");
    watcher.expectNothing();
  }

  @Test
  void watchingAnUnknownUserIsNotFoundAndWatchesNothing() {
    TestClient watcher = connect("abc");
    watcher.expectError(watcher.request(frame("watch").put("users", new JsonArray().add("bob").add("ghost"))), "not_found");
    connect("bob");
    watcher.expectNothing();
  }

  @Test
  void offlineAndUnknownStatusesCannotBeSet() {
    TestClient bob = connect("bob");
    bob.expectError(bob.request(frame("status").put("status", "offline")), "bad_frame");
    bob.expectError(bob.request(frame("status").put("status", "sleeping")), "bad_frame");
    bob.expectError(bob.request(frame("status")), "bad_frame");
    bob.expectError(bob.request(frame("status").put("status", "busy").put("activity", 7)), "bad_frame");
    assertOk(bob.request(frame("status").put("status", "busy").put("activity", "presenting")));
  }
}
