package io.switchboard.store;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.Policy;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every {@link SwitchboardStore} must do (SPEC.md §2-§4), run through the interface only. A store
 * implementation's test extends this class; the operations are awaited, so a store that answers later
 * (over the network) runs the same suite as one that answers at once.
 *
 * <p>The directory: clients {@code abc} and {@code xyz}; members {@code anna} and {@code bob} of the virtual user
 * {@code shop}; {@code bob} also belongs to {@code desk}, whose other member {@code cora} takes one conversation at a
 * time; {@code solo} has {@code cora} alone.
 */
public abstract class SwitchboardStoreContract {

  /** How many routing decisions per virtual user the store under test must keep. */
  protected static final int DECISIONS_KEPT = 5;

  private static final long T0 = 1_705_410_355_000L;
  private static final long WAIT_SECONDS = 10;
  private static final String NODE = "node-a";

  protected SwitchboardStore store;

  /** A new, empty store that keeps {@link #DECISIONS_KEPT} decisions per virtual user. */
  protected abstract SwitchboardStore newStore();

  @BeforeEach
  void fillDirectory() {
    store = newStore();
    for (String id : List.of("abc", "xyz", "anna", "bob")) {
      done(store.putUser(new User(id, null, null, null, null)));
    }
    done(store.putUser(new User("cora", null, null, null, 1)));
    putVirtualUser("shop", "anna", "bob");
    putVirtualUser("desk", "bob", "cora");
    putVirtualUser("solo", "cora");
  }

  // --- directory

  @Test
  void aVirtualUserWithAMemberThatIsNotAUserIsRefused() {
    Future<Void> put = settled(store.putVirtualUser(new VirtualUser("ghosts", null, List.of("anna", "casper"), Policy.DEFAULT)));
    assertTrue(assertInstanceOf(InvalidDefinitionException.class, put.cause()).getMessage().contains("casper"));
    assertNull(done(store.virtualUser("ghosts")));
  }

  // --- presence

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
  void settingTheStatusAUserAlreadyHasChangesNothing() {
    connect("anna", "a1");
    setStatus("anna", Status.BUSY);

    assertChanges(setStatus("anna", Status.BUSY));
  }

  @Test
  void anotherDeviceConnectingKeepsTheStatusSetLast() {
    connect("anna", "a1");
    setStatus("anna", Status.BUSY);

    assertChanges(connect("anna", "a2"));
    assertEquals(List.of(user("anna", "busy"), virtual("shop", "busy")), done(store.presence(List.of("anna", "shop"))));
  }

  @Test
  void presenceTellsEachStatusInTheOrderAsked() {
    connect("bob", "b1");
    setStatus("bob", Status.AWAY);

    assertEquals(List.of(virtual("desk", "away"), user("anna", "offline"), user("bob", "away")),
        done(store.presence(List.of("desk", "anna", "bob"))));
  }

  @Test
  void presenceOfAnUnknownIdIsNotFound() {
    assertFails(ErrorCode.NOT_FOUND, store.presence(List.of("anna", "nobody")));
  }

  // --- routing

  @Test
  void routeTellsWhatKindOfDestinationItIs() {
    connect("xyz", "x1");

    assertEquals(RouteOutcome.Kind.NOT_FOUND, route("c1", "shopx", T0).kind());
    RouteOutcome common = route("c2", "xyz", T0);
    assertEquals(RouteOutcome.Kind.COMMON_USER, common.kind());
    assertEquals(Status.ONLINE, common.status());
    RouteOutcome offline = route("c3", "shop", T0);
    assertEquals(RouteOutcome.Kind.UNAVAILABLE, offline.kind());
    assertEquals(Status.OFFLINE, offline.status());
  }

  @Test
  void routeReservesLoadUntilReleased() {
    connect("cora", "c1");

    assertEquals("cora", route("c1", "solo", T0).selected());
    RouteOutcome full = route("c2", "solo", T0 + 1);
    assertEquals(RouteOutcome.Kind.ROUTED, full.kind());
    assertNull(full.selected(), "cora takes one conversation at a time");

    done(store.release("solo", "cora"));
    assertEquals("cora", route("c3", "solo", T0 + 2).selected());
  }

  @Test
  void releasingWhatWasNeverReservedMakesNoExtraRoom() {
    connect("cora", "c1");
    done(store.release("solo", "cora"));

    assertEquals("cora", route("c1", "solo", T0).selected());
    assertNull(route("c2", "solo", T0).selected(), "cora takes one conversation at a time");
  }

  @Test
  void openRecordsHistoryNewestFirstAndTheNextRouteSticksToIt() {
    connect("anna", "a1");
    connect("bob", "b1");
    assertEquals("anna", openVia("c1", "shop", Set.of(), T0));
    assertEquals("bob", openVia("c2", "shop", Set.of("anna"), T0 + 1000));

    assertEquals(new Conversation("c2", "abc", "shop", "bob", false, T0 + 1000), done(store.conversation("c2")));

    assertEquals(List.of(new HistoryRecord(T0 + 1000, "abc", "shop", List.of("bob")),
        new HistoryRecord(T0, "abc", "shop", List.of("anna"))), done(store.history("abc", "shop")));
    // both carry one conversation and anna was assigned longer ago, so only sticky picks bob
    RouteOutcome next = route("c3", "shop", T0 + 2000);
    assertEquals("bob", next.selected());
    assertEquals("sticky", next.decision().step());
  }

  @Test
  void aNewSourceGetsTheMemberWhoWasAssignedLongestAgo() {
    connect("anna", "a1");
    connect("bob", "b1");
    assertEquals("anna", openVia("c1", "shop", Set.of(), T0));
    done(store.close("c1", "abc"));

    // both are idle again; anna was assigned at T0, bob never
    RouteOutcome next = route("xyz", "c2", "shop", Set.of(), T0 + 1000);
    assertEquals("bob", next.selected());
    assertEquals("least-load", next.decision().step());
  }

  @Test
  void closeReleasesTheLoadAndTheConversationIsGone() {
    connect("cora", "c1");
    openVia("c1", "solo", Set.of(), T0);
    assertNull(route("c2", "solo", T0).selected());

    Conversation closed = done(store.close("c1", "abc"));

    assertEquals("cora", closed.agent());
    assertEquals("cora", route("c3", "solo", T0).selected());
    assertFails(ErrorCode.GONE, store.conversation("c1"));
    assertFails(ErrorCode.GONE, store.close("c1", "abc"));
    assertTrue(done(store.conversationsOf("abc")).isEmpty());
  }

  @Test
  void onlyPartiesMayUseAConversation() {
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);

    assertEquals(List.of("c1"), done(store.conversationsOf("anna")).stream().map(Conversation::id).toList());
    assertFails(ErrorCode.FORBIDDEN, store.close("c1", "xyz"));
    assertFails(ErrorCode.FORBIDDEN, store.append("c1", "xyz", "hi", T0, Handling.DELIVER));
    assertFails(ErrorCode.NOT_FOUND, store.conversation("c404"));
    assertFails(ErrorCode.NOT_FOUND, store.close("c404", "abc"));
  }

  @Test
  void aMemberKnowsItsVirtualUsers() {
    assertEquals(List.of("desk", "shop"), done(store.virtualUsersOf("bob")));
    assertEquals(List.of(), done(store.virtualUsersOf("abc")));
  }

  // --- handling rules

  private static Handling handled(Handling.Disposition disposition, String notify) {
    return new Handling(disposition, notify, false);
  }

  @Test
  void heldMessagesWaitOutsideTheMailboxAndAreReleasedOnceInOrder() {
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);
    MessageDelivery first = done(store.append("c1", "anna", "one", T0 + 1, handled(Handling.Disposition.HELD, "silent")));
    MessageDelivery second = done(store.append("c1", "anna", "two", T0 + 2, handled(Handling.Disposition.HELD, "none")));
    assertEquals(List.of(1, 2), List.of(first.held(), second.held()));
    assertFalse(second.queued(), "a held message is not also queued in the mailbox");
    assertTrue(done(store.drainMailbox("abc")).isEmpty());

    List<MessageEvent> released = done(store.releaseHeld("abc"));
    assertEquals(List.of("one", "two"), released.stream().map(MessageEvent::body).toList());
    assertEquals(List.of("silent", "none"), released.stream().map(MessageEvent::notifyLevel).toList());
    assertTrue(done(store.releaseHeld("abc")).isEmpty());
  }

  @Test
  void theTranscriptMarksHowEachMessageWasHandledAndHidesWhatWasDroppedForTheReader() {
    connect("abc", "s1");
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);
    done(store.append("c1", "abc", "hello", T0 + 1, Handling.DELIVER));
    done(store.append("c1", "anna", "auto text", T0 + 2, new Handling(Handling.Disposition.DELIVERED, "popup", true)));
    done(store.append("c1", "abc", "for the record", T0 + 3, handled(Handling.Disposition.TRANSCRIPT, "popup")));
    done(store.append("c1", "abc", "spam", T0 + 4, handled(Handling.Disposition.DROPPED, "popup")));

    List<TranscriptEntry> forAnna = done(store.transcript("c1", "anna"));
    assertEquals(List.of("hello", "auto text", "for the record"), forAnna.stream().map(e -> e.message().body()).toList());
    assertEquals(List.of(Handling.Disposition.DELIVERED, Handling.Disposition.DELIVERED, Handling.Disposition.TRANSCRIPT),
        forAnna.stream().map(TranscriptEntry::handling).toList());
    assertEquals(List.of("abc", "anna", "abc"), forAnna.stream().map(e -> e.message().from()).toList());
    assertTrue(forAnna.get(1).message().auto());
    List<TranscriptEntry> forAbc = done(store.transcript("c1", "abc"));
    assertEquals(4, forAbc.size(), "the sender sees all it sent");
    assertEquals("shop", forAbc.get(1).message().from(), "the source sees the virtual user");
    assertFails(ErrorCode.FORBIDDEN, store.transcript("c1", "xyz"));
    assertEquals(List.of("hello"), done(store.messagesAfter("c1", "anna", 0)).stream().map(MessageEvent::body).toList(),
        "only delivered messages are resumed");
  }

  @Test
  void rulesDocumentsActivationsAndClosingsMakeTheHandlingState() {
    connect("abc", "s1");
    setStatus("abc", Status.BUSY);
    assertNull(done(store.rules("abc")));
    assertFails(ErrorCode.NOT_FOUND, store.putRules("casper", new io.vertx.core.json.JsonObject()));
    io.vertx.core.json.JsonObject document = new io.vertx.core.json.JsonObject().put("rules", new io.vertx.core.json.JsonArray());
    done(store.putRules("abc", document));
    assertEquals(document, done(store.rules("abc")));

    done(store.activate("abc", java.util.Map.of("quiet", T0 + 600_000)));
    done(store.activate("abc", java.util.Map.of("quiet", T0 + 1_000, "night", T0 + 5_000)));
    done(store.closingSent("abc", "c1", T0 + 10));
    HandlingState state = done(store.handlingState("abc", "c1"));
    assertEquals(document, state.rules());
    assertEquals(Status.BUSY, state.status());
    assertEquals(java.util.Map.of("quiet", T0 + 600_000, "night", T0 + 5_000), state.activeUntil(), "the later end wins");
    assertEquals(T0 + 10, state.lastClosingSent());
    assertNull(done(store.handlingState("abc", "c2")).lastClosingSent());
    assertEquals(Status.OFFLINE, done(store.handlingState("xyz", "c1")).status());
  }

  // --- nodes

  @Test
  void aNodeWhoseLeaseRanOutIsEvictedOnceWithItsSessions() {
    connect("abc", "s1");
    connect("anna", "a1");
    done(store.connect(new SessionRef("bob", "b1", "other-node")));
    done(store.renewLease(NODE, T0 + 3000));
    done(store.renewLease("other-node", T0 + 5000));

    assertEquals(List.of(), done(store.expiredNodes(T0 + 2000)));
    assertEquals(List.of(NODE), done(store.expiredNodes(T0 + 4000)));
    done(store.renewLease(NODE, T0 + 7000));
    assertEquals(List.of("other-node"), done(store.expiredNodes(T0 + 6000)));

    assertEquals(Set.of(new SessionRef("bob", "b1", "other-node")), Set.copyOf(done(store.evictNode("other-node"))));
    assertEquals(List.of(), done(store.evictNode("other-node")), "a second eviction finds nothing to do");
    assertEquals(List.of(NODE), done(store.expiredNodes(T0 + 8000)));
  }

  @Test
  void aDisconnectedSessionIsNotEvictedWithItsNode() {
    connect("abc", "s1");
    connect("anna", "a1");
    disconnect("abc", "s1");
    done(store.renewLease(NODE, T0));
    assertEquals(List.of(new SessionRef("anna", "a1", NODE)), done(store.evictNode(NODE)));
  }

  // --- messages

  @Test
  void messagesAreNumberedAcrossBothPartiesAndTheAgentHidesBehindTheVirtualUser() {
    connect("abc", "s1");
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);

    MessageDelivery first = done(store.append("c1", "abc", "hello", T0 + 1, Handling.DELIVER));
    MessageDelivery second = done(store.append("c1", "anna", "how can I help?", T0 + 2, Handling.DELIVER));
    MessageDelivery third = done(store.append("c1", "abc", "a book", T0 + 3, Handling.DELIVER));

    assertEquals(new MessageDelivery("anna", new MessageEvent("c1", "abc", null, 1, T0 + 1, "hello"), false, 0), first);
    assertEquals(new MessageDelivery("abc", new MessageEvent("c1", "shop", null, 2, T0 + 2, "how can I help?"), false, 0),
        second);
    assertEquals(3, third.event().seq());
  }

  @Test
  void aPartyCanFetchWhatItReceivedAfterASequenceNumber() {
    connect("abc", "s1");
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);
    done(store.append("c1", "abc", "hello", T0 + 1, Handling.DELIVER));
    done(store.append("c1", "anna", "hi", T0 + 2, Handling.DELIVER));
    done(store.append("c1", "anna", "how can I help?", T0 + 3, Handling.DELIVER));

    assertEquals(List.of(2L, 3L), done(store.messagesAfter("c1", "abc", 0)).stream().map(MessageEvent::seq).toList());
    assertEquals(List.of(new MessageEvent("c1", "shop", null, 3, T0 + 3, "how can I help?")),
        done(store.messagesAfter("c1", "abc", 2)));
    assertEquals(List.of("hello"), done(store.messagesAfter("c1", "anna", 0)).stream().map(MessageEvent::body).toList());
    assertFails(ErrorCode.FORBIDDEN, store.messagesAfter("c1", "xyz", 0));
    done(store.close("c1", "abc"));
    assertFails(ErrorCode.GONE, store.messagesAfter("c1", "abc", 0));
  }

  @Test
  void messagesForAUserWithoutSessionAreQueuedAndDrainedOnceInOrder() {
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);

    assertTrue(done(store.append("c1", "anna", "first", T0 + 1, Handling.DELIVER)).queued());
    assertTrue(done(store.append("c1", "anna", "second", T0 + 2, Handling.DELIVER)).queued());

    List<MessageEvent> drained = done(store.drainMailbox("abc"));
    assertEquals(List.of("first", "second"), drained.stream().map(MessageEvent::body).toList());
    assertEquals(List.of(1L, 2L), drained.stream().map(MessageEvent::seq).toList());
    assertTrue(done(store.drainMailbox("abc")).isEmpty());
    assertTrue(done(store.drainMailbox("anna")).isEmpty(), "anna's own messages are not queued for her");
  }

  @Test
  void aMailboxKeepsTheNewestMessagesUpToItsLimit() {
    connect("anna", "a1");
    openVia("c1", "shop", Set.of(), T0);
    int sent = SwitchboardStore.MAILBOX_LIMIT + 1;
    IntStream.rangeClosed(1, sent).forEach(i -> done(store.append("c1", "anna", "m" + i, T0, Handling.DELIVER)));

    List<MessageEvent> drained = done(store.drainMailbox("abc"));

    assertEquals(SwitchboardStore.MAILBOX_LIMIT, drained.size());
    assertEquals("m2", drained.get(0).body());
    assertEquals("m" + sent, drained.get(drained.size() - 1).body());
  }

  // --- decisions

  @Test
  void decisionsAreKeptNewestFirstAndBounded() {
    connect("anna", "a1");
    int routes = DECISIONS_KEPT + 2;
    IntStream.range(0, routes).forEach(i -> route("c" + i, "shop", T0 + i));

    List<RouteDecision> decisions = done(store.decisions("shop", 100));

    List<String> newestFirst = IntStream.range(0, DECISIONS_KEPT).mapToObj(i -> "c" + (routes - 1 - i)).toList();
    assertEquals(newestFirst, decisions.stream().map(RouteDecision::conversation).toList());
    RouteDecision latest = decisions.get(0);
    assertEquals(T0 + routes - 1, latest.ts());
    assertEquals("anna", latest.selected());
    assertEquals(List.of("c" + (routes - 1), "c" + (routes - 2)),
        done(store.decisions("shop", 2)).stream().map(RouteDecision::conversation).toList());
  }

  // --- building blocks

  private void putVirtualUser(String id, String... members) {
    done(store.putVirtualUser(new VirtualUser(id, null, List.of(members), Policy.DEFAULT)));
  }

  private List<PresenceChange> connect(String user, String session) {
    return done(store.connect(new SessionRef(user, session, NODE)));
  }

  private List<PresenceChange> disconnect(String user, String session) {
    return done(store.disconnect(new SessionRef(user, session, NODE)));
  }

  private List<PresenceChange> setStatus(String user, Status status) {
    return done(store.setStatus(new StatusRequest(user, status, null)));
  }

  private static PresenceChange user(String id, String status) {
    return new PresenceChange(id, status, false);
  }

  private static PresenceChange virtual(String id, String status) {
    return new PresenceChange(id, status, true);
  }

  /** The changes, each once, in any order: the store may report a member's virtual users in any order. */
  private static void assertChanges(List<PresenceChange> actual, PresenceChange... expected) {
    assertEquals(Set.of(expected), new HashSet<>(actual), () -> "changes " + actual);
    assertEquals(expected.length, actual.size(), () -> "changes " + actual);
  }

  /** Routes a conversation of {@code abc}. */
  private RouteOutcome route(String conversation, String destination, long now) {
    return route(conversation, destination, Set.of(), now);
  }

  private RouteOutcome route(String conversation, String destination, Set<String> excluded, long now) {
    return route("abc", conversation, destination, excluded, now);
  }

  private RouteOutcome route(String source, String conversation, String destination, Set<String> excluded, long now) {
    return done(store.route(new RouteRequest(conversation, source, destination, null, null, excluded, now)));
  }

  /** Routes a conversation of {@code abc} to a virtual user and opens it with the member selected, who is returned. */
  private String openVia(String conversation, String destination, Set<String> excluded, long now) {
    String agent = route(conversation, destination, excluded, now).selected();
    assertNotNull(agent, "a member should have been selected for " + conversation);
    done(store.open(new Conversation(conversation, "abc", destination, agent, false, now)));
    return agent;
  }

  /** Waits for a store operation and returns its value, failing the test if the operation failed. */
  protected static <T> T done(Future<T> operation) {
    Future<T> settled = settled(operation);
    assertTrue(settled.succeeded(), () -> "the store failed: " + settled.cause());
    return settled.result();
  }

  /** Asserts that a store operation fails with {@code code}. */
  protected static void assertFails(ErrorCode code, Future<?> operation) {
    Future<?> settled = settled(operation);
    assertFalse(settled.succeeded(), () -> "expected " + code.wire() + " but got " + settled.result());
    SwitchboardException failure = assertInstanceOf(SwitchboardException.class, settled.cause());
    assertEquals(code, failure.code(), failure::getMessage);
  }

  private static <T> Future<T> settled(Future<T> operation) {
    try {
      operation.toCompletionStage().toCompletableFuture().handle((value, failure) -> null)
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while waiting for the store");
    } catch (ExecutionException | TimeoutException e) {
      fail("the store did not answer within " + WAIT_SECONDS + " s");
    }
    return operation;
  }
}
