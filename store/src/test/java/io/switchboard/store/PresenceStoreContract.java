package io.switchboard.store;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store's presence and leases must do. */
public abstract class PresenceStoreContract extends StoreContract {

  @Test
  void firstMemberOnlineBringsItsVirtualUsersOnline() {
    assertChanges(connect("bob", "b1"), user("bob", "online"), virtual("shop", "online"), virtual("desk", "online"));
    assertChanges(connect("anna", "a1"), user("anna", "online"));
  }

  @Test
  void virtualUserIsBusyWhenNoMemberIsOnlineAndOneIsBusy() {
    connect("anna", "a1");
    connect("bob", "b1");

    assertChanges(setStatus("bob", Status.AWAY), user("bob", "away"), virtual("desk", "away"));
    assertChanges(setStatus("anna", Status.BUSY), user("anna", "busy"), virtual("shop", "busy"));
    assertChanges(setStatus("bob", Status.ONLINE), user("bob", "online"), virtual("shop", "online"),
        virtual("desk", "online"));
  }

  @Test
  void userGoesOfflineOnlyWhenItsLastSessionEnds() {
    connect("anna", "a1");

    assertChanges(connect("anna", "a2"));
    assertChanges(disconnect("anna", "a1"));
    assertChanges(disconnect("anna", "a2"), user("anna", "offline"), virtual("shop", "offline"));
    assertChanges(disconnect("anna", "a2"));
  }

  @Test
  void aUserWhoComesBackIsOnlineAgain() {
    connect("anna", "a1");
    setStatus("anna", Status.AWAY);
    disconnect("anna", "a1");

    assertChanges(connect("anna", "a2"), user("anna", "online"), virtual("shop", "online"));
  }

  @Test
  void announcingAKnownSessionAgainChangesNothing() {
    connect("anna", "a1");
    setStatus("anna", Status.BUSY);

    assertChanges(connect("anna", "a1"));
    assertEquals(List.of(user("anna", "busy")), done(stores.presence().presence(List.of("anna"))));
  }

  @Test
  void settingTheStatusAUserAlreadyHasChangesNothing() {
    connect("anna", "a1");
    setStatus("anna", Status.BUSY);

    assertChanges(setStatus("anna", Status.BUSY));
  }

  @Test
  void aUserWithoutSessionCannotSetAStatus() {
    assertChanges(setStatus("anna", Status.BUSY));
    assertEquals(List.of(user("anna", "offline")), done(stores.presence().presence(List.of("anna"))));
  }

  @Test
  void anotherDeviceConnectingKeepsTheStatusSetLast() {
    connect("anna", "a1");
    setStatus("anna", Status.BUSY);

    assertChanges(connect("anna", "a2"));
    assertEquals(List.of(user("anna", "busy"), virtual("shop", "busy")),
        done(stores.presence().presence(List.of("anna", "shop"))));
  }

  @Test
  void presenceTellsEachStatusInTheOrderAsked() {
    connect("bob", "b1");
    setStatus("bob", Status.AWAY);

    assertEquals(List.of(virtual("desk", "away"), user("anna", "offline"), user("bob", "away")),
        done(stores.presence().presence(List.of("desk", "anna", "bob"))));
  }

  @Test
  void presenceOfAnUnknownIdIsNotFound() {
    assertFails(ErrorCode.NOT_FOUND, stores.presence().presence(List.of("anna", "nobody")));
  }

  @Test
  void theGatewaysOfAUserAreThoseHoldingItsSessions() {
    done(stores.presence().connect(new SessionRef("anna", "a1", NODE, "node-a/1")));
    done(stores.presence().connect(new SessionRef("anna", "a2", NODE, "node-a/2")));
    done(stores.presence().connect(new SessionRef("anna", "a3", "node-b", "node-b/1")));
    done(stores.presence().connect(new SessionRef("bob", "b1", NODE, "node-a/1")));
    done(stores.presence().disconnect(new SessionRef("anna", "a2", NODE, "node-a/2")));

    assertEquals(Map.of("anna", List.of("node-a/1", "node-b/1"), "abc", List.of()),
        done(stores.presence().gatewaysOf(List.of("anna", "abc"))));
  }

  // --- leases

  @Test
  void aNodeWhoseLeaseRanOutIsEvictedOnceWithItsSessions() {
    connect("abc", "s1");
    connect("anna", "a1");
    SessionRef elsewhere = new SessionRef("bob", "b1", "other-node", "other-node/1");
    done(stores.presence().connect(elsewhere));
    assertEquals(LeaseRenewal.State.LOST, renew(NODE, T0 + 3000).state(), "a first lease was not held before");
    renew("other-node", T0 + 5000);

    assertEquals(List.of(), done(stores.presence().expiredNodes(T0 + 2000)));
    assertEquals(List.of(NODE), done(stores.presence().expiredNodes(T0 + 4000)));
    assertEquals(LeaseRenewal.State.HELD, renew(NODE, T0 + 7000).state(), "a late renewal still holds an unclaimed lease");
    assertEquals(List.of("other-node"), done(stores.presence().expiredNodes(T0 + 6000)));

    assertEquals(Set.of(elsewhere), Set.copyOf(done(stores.presence().evictNode("other-node"))));
    assertEquals(List.of(), done(stores.presence().evictNode("other-node")), "a second eviction finds nothing to do");
    assertEquals(List.of(NODE), done(stores.presence().expiredNodes(T0 + 8000)));
  }

  @Test
  void aNodeThatWasEvictedLearnsItAtItsNextRenewal() {
    renew(NODE, T0 + 3000);
    done(stores.presence().evictNode(NODE));

    assertEquals(LeaseRenewal.State.LOST, renew(NODE, T0 + 6000).state(), "the lease had been taken away");
    assertEquals(LeaseRenewal.State.HELD, renew(NODE, T0 + 9000).state(), "and is held again");
  }

  @Test
  void aNodeRenewingWhileItsSessionsAreDisconnectedAnnouncesThemOnlyOnceThatIsOver() {
    connect("abc", "s1");
    renew(NODE, T0 + 3000);
    assertEquals(List.of(session("abc", "s1")), done(stores.presence().evictNode(NODE)));

    assertEquals(LeaseRenewal.State.EVICTING, renew(NODE, T0 + 6000).state(), "the evictor is not done");
    assertEquals(List.of(), done(stores.presence().expiredNodes(T0 + 9000)), "and the lease was not taken meanwhile");
    disconnect("abc", "s1");
    done(stores.presence().evicted(NODE));
    assertEquals(LeaseRenewal.State.LOST, renew(NODE, T0 + 9000).state(), "the node announces its sessions again");
  }

  @Test
  void aNodeEvictedWithoutSessionsTakesItsLeaseAgainAtOnce() {
    renew(NODE, T0 + 3000);
    assertEquals(List.of(), done(stores.presence().evictNode(NODE)));
    assertEquals(LeaseRenewal.State.LOST, renew(NODE, T0 + 6000).state());
  }

  @Test
  void theEpochOfTheStoreStaysWhileItKeepsItsData() {
    String epoch = renew(NODE, T0).epoch();
    assertNotNull(epoch);
    LeaseRenewal next = done(stores.presence().renewLease("other-node", T0, epoch));
    assertEquals(epoch, next.epoch());
    assertNotEquals(LeaseRenewal.State.RESET, next.state());
  }

  /** A renewal by a node that does not know the store's epoch yet. */
  private LeaseRenewal renew(String node, long expiresAt) {
    return done(stores.presence().renewLease(node, expiresAt, null));
  }

  @Test
  void aDisconnectedSessionIsNotEvictedWithItsNode() {
    connect("abc", "s1");
    connect("anna", "a1");
    disconnect("abc", "s1");
    renew(NODE, T0);
    assertEquals(List.of(session("anna", "a1")), done(stores.presence().evictNode(NODE)));
  }
}
