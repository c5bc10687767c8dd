package io.switchboard.store;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.directory.PolicyStep;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store's conversations, loads, history and decisions must do. */
public abstract class ConversationStoreContract extends StoreContract {

  // --- routing state

  @Test
  void theRoutingStateTellsWhatKindOfDestinationItIs() {
    assertEquals(RoutingState.Kind.NOT_FOUND, state("nobody", T0).kind());
    assertEquals(RoutingState.Kind.COMMON_USER, state("xyz", T0).kind());
    RoutingState shop = state("shop", T0);
    assertEquals(RoutingState.Kind.VIRTUAL_USER, shop.kind());
    assertEquals("shop", shop.virtualUser().id());
    assertEquals(Status.OFFLINE, shop.status());
  }

  @Test
  void theRoutingStateOfAVirtualUserHasItsMembersInOrderWithStatusLoadAndLastAssignment() {
    connect("bob", "b1");
    connect("cora", "c1");
    setStatus("cora", Status.BUSY);
    open("c1", "desk", "cora", T0);
    open("c2", "bob", "bob", T0 + 5);

    RoutingState desk = state("desk", T0 + 10);

    assertEquals(Status.ONLINE, desk.status());
    assertEquals(List.of("bob", "cora"), desk.members().stream().map(MemberState::id).toList());
    assertEquals(List.of(Status.ONLINE, Status.BUSY), desk.members().stream().map(MemberState::status).toList());
    assertEquals(List.of(1, 1), desk.members().stream().map(MemberState::load).toList(), "direct conversations count");
    assertEquals(List.of(0L, T0), desk.members().stream().map(MemberState::lastAssigned).toList());
    assertEquals(Integer.valueOf(1), desk.members().get(1).user().maxConversations());
    assertEquals(List.of(new HistoryRecord(T0, "abc", "desk", List.of("cora"))), desk.history());
  }

  @Test
  void theRoutingStateHoldsTheHistoryItsPolicyReads() {
    List<HistoryRecord> records = List.of(new HistoryRecord(T0, "abc", "shop", List.of("anna")),
        new HistoryRecord(T0 + 1, "abc", "shop", List.of("bob")), new HistoryRecord(T0 + 2, "abc", "shop", List.of("anna")));
    records.forEach(record -> done(stores.conversations().addHistory(List.of(record))));
    List<HistoryRecord> newestFirst = List.of(records.get(2), records.get(1), records.get(0));

    // the default chain's sticky step looks at the latest record alone
    assertEquals(newestFirst.subList(0, 1), state("shop", T0 + 10).history());
    putVirtualUser("shop", List.of(new PolicyStep.Sticky(Duration.ofHours(1), PolicyStep.Among.NEAREST),
        new PolicyStep.LeastLoad()), "anna", "bob");
    assertEquals(newestFirst, state("shop", T0 + 10).history());
    putVirtualUser("shop", List.of(new PolicyStep.LeastLoad()), "anna", "bob");
    assertEquals(List.of(), state("shop", T0 + 10).history());
  }

  @Test
  void historyOlderThanTheRetentionIsLeftOutOfTheRoutingState() {
    done(stores.conversations().addHistory(List.of(new HistoryRecord(T0, "abc", "shop", List.of("anna")))));
    long retention = java.time.Duration.ofDays(30).toMillis();

    assertEquals(1, state("shop", T0 + retention - 1).history().size());
    assertEquals(List.of(), state("shop", T0 + retention).history());
  }

  // --- reservations

  @Test
  void aReservationIsRefusedToAMemberWhoIsNotAvailable() {
    Reserved offline = reserve("anna", "c1", T0);
    assertFalse(offline.granted());
    assertEquals("anna is offline", offline.refusal());

    connect("anna", "a1");
    setStatus("anna", Status.AWAY);
    Reserved away = done(stores.conversations().reserve(
        new Reservation("anna", "c1", java.util.Set.of(Status.ONLINE), NODE, 100, T0)));
    assertFalse(away.granted());
  }

  @Test
  void aGrantedReservationTellsWhereTheMemberIsConnected() {
    done(stores.presence().connect(new SessionRef("anna", "a1", NODE, "node-a/1")));
    done(stores.presence().connect(new SessionRef("anna", "a2", "node-b", "node-b/2")));

    Reserved reserved = reserve("anna", "c1", T0);

    assertTrue(reserved.granted());
    assertEquals(List.of("node-a/1", "node-b/2"), reserved.gateways());
  }

  @Test
  void aMemberIsNeverReservedPastItsCapacityAcrossItsVirtualUsersAndDirectConversations() {
    connect("cora", "c1");
    assertTrue(reserve("cora", "c1", T0).granted());

    Reserved full = reserve("cora", "c2", T0);
    assertFalse(full.granted());
    assertEquals("cora is at capacity (1 of 1)", full.refusal());

    done(stores.conversations().cancel(reservation("cora", "c1", T0)));
    assertTrue(reserve("cora", "c3", T0).granted(), "a cancelled reservation gives its room back");
  }

  @Test
  void aMemberIsReservedOnceForOneConversation() {
    connect("anna", "a1");
    assertTrue(reserve("anna", "c1", T0).granted());
    assertEquals("anna was already offered this conversation", reserve("anna", "c1", T0).refusal());
  }

  @Test
  void offersToOneMemberAreLimitedPerSecond() {
    connect("anna", "a1");
    for (int i = 0; i < 3; i++) {
      assertTrue(done(stores.conversations().reserve(new Reservation("anna", "c" + i, AVAILABLE, NODE, 3, T0 + i))).granted());
    }
    Reserved fourth = done(stores.conversations().reserve(new Reservation("anna", "c3", AVAILABLE, NODE, 3, T0 + 500)));
    assertFalse(fourth.granted());
    assertEquals("anna was offered 3 conversations this second", fourth.refusal());
    assertTrue(done(stores.conversations().reserve(new Reservation("anna", "c4", AVAILABLE, NODE, 3, T0 + 1000))).granted(),
        "the next second starts afresh");
  }

  @Test
  void cancellingWhatWasNeverReservedMakesNoExtraRoom() {
    connect("cora", "c1");
    done(stores.conversations().cancel(reservation("cora", "c0", T0)));

    assertTrue(reserve("cora", "c1", T0).granted());
    assertFalse(reserve("cora", "c2", T0).granted(), "cora takes one conversation at a time");
  }

  @Test
  void aCancelledReservationThatWasOpenedMeanwhileStaysOpen() {
    connect("cora", "c1");
    open("c1", "solo", "cora", T0);

    done(stores.conversations().cancel(reservation("cora", "c1", T0)));

    assertEquals(1, state("solo", T0).members().get(0).load());
  }

  @Test
  void theReservationsOfANodeThatLeftAreGivenBackButNotWhatItOpened() {
    connect("anna", "a1");
    connect("bob", "b1");
    open("c1", "shop", "anna", T0);
    assertTrue(reserve("bob", "c2", T0).granted());
    assertTrue(reserve("anna", "c3", T0).granted());

    assertEquals(List.of("anna", "bob"), done(stores.conversations().releaseReservationsOf(NODE)));

    assertEquals(List.of(1, 0), state("shop", T0).members().stream().map(MemberState::load).toList());
    assertEquals(List.of(), done(stores.conversations().releaseReservationsOf(NODE)), "once");
  }

  // --- pending opens

  @Test
  void aSourceHasAtMostTheLimitOfPendingOpensToOneDestination() {
    var conversations = stores.conversations();
    assertTrue(done(conversations.startOpen("abc", "shop", "c1", 1, T0, T0 + 1000)));
    assertFalse(done(conversations.startOpen("abc", "shop", "c2", 1, T0, T0 + 1000)));
    assertTrue(done(conversations.startOpen("abc", "desk", "c3", 1, T0, T0 + 1000)), "another destination");
    assertTrue(done(conversations.startOpen("abc", "shop", "c1", 1, T0, T0 + 5000)), "a pending open may move its end");

    done(conversations.endOpen("abc", "c1"));
    assertTrue(done(conversations.startOpen("abc", "shop", "c4", 1, T0, T0 + 1000)));
    assertTrue(done(conversations.startOpen("abc", "shop", "c5", 1, T0 + 1000, T0 + 2000)), "c4 is past its end");
  }

  @Test
  void anOpenedConversationIsNoLongerPending() {
    connect("anna", "a1");
    assertTrue(done(stores.conversations().startOpen("abc", "shop", "c1", 1, T0, T0 + 1000)));
    open("c1", "shop", "anna", T0);

    assertTrue(done(stores.conversations().startOpen("abc", "shop", "c2", 1, T0, T0 + 1000)));
  }

  // --- conversations

  @Test
  void openRecordsHistoryNewestFirstAndTheAssignment() {
    connect("anna", "a1");
    connect("bob", "b1");
    open("c1", "shop", "anna", T0);
    open("c2", "shop", "bob", T0 + 1000);

    assertEquals(new Conversation("c2", "abc", "shop", "bob", false, T0 + 1000), done(stores.conversations().conversation("c2")));
    assertEquals(List.of(new HistoryRecord(T0 + 1000, "abc", "shop", List.of("bob")),
        new HistoryRecord(T0, "abc", "shop", List.of("anna"))), done(stores.conversations().history("abc", "shop")));
    assertEquals(List.of(T0, T0 + 1000), state("shop", T0 + 2000).members().stream().map(MemberState::lastAssigned).toList());
  }

  @Test
  void closeGivesTheLoadBackTellsWhereThePartiesAreAndTheConversationIsGone() {
    connect("cora", "c1");
    connect("abc", "s1");
    Conversation opened = open("c1", "solo", "cora", T0);

    ClosedConversation closed = done(stores.conversations().close("c1", "abc", opened));

    assertEquals(opened, closed.conversation());
    assertEquals(List.of(GATEWAY), closed.sourceGateways());
    assertEquals(List.of(GATEWAY), closed.agentGateways());
    assertTrue(reserve("cora", "c2", T0).granted(), "cora's room is back");
    assertFails(ErrorCode.GONE, stores.conversations().conversation("c1"));
    assertFails(ErrorCode.GONE, stores.conversations().close("c1", "abc", null));
    assertTrue(done(stores.conversations().conversationsOf("abc")).isEmpty());
    assertTrue(done(stores.conversations().conversationsOf("cora")).isEmpty());
  }

  @Test
  void aConversationClosesOnceWhoeverClosesItAndHowever() {
    connect("cora", "c1");
    Conversation opened = open("c1", "solo", "cora", T0);

    done(stores.conversations().close("c1", "cora", null));
    assertFails(ErrorCode.GONE, stores.conversations().close("c1", "abc", opened));

    assertEquals(0, state("solo", T0).members().get(0).load());
  }

  @Test
  void onlyPartiesMayCloseAConversation() {
    connect("anna", "a1");
    Conversation opened = open("c1", "shop", "anna", T0);

    assertEquals(List.of("c1"), done(stores.conversations().conversationsOf("anna")).stream().map(Conversation::id).toList());
    assertFails(ErrorCode.FORBIDDEN, stores.conversations().close("c1", "xyz", null));
    assertFails(ErrorCode.FORBIDDEN, stores.conversations().close("c1", "xyz", opened));
    assertFails(ErrorCode.NOT_FOUND, stores.conversations().conversation("c404"));
    assertFails(ErrorCode.NOT_FOUND, stores.conversations().close("c404", "abc", null));
    assertEquals(1, state("shop", T0).members().get(0).load(), "a refused close changes nothing");
  }

  @Test
  void aRestoredConversationGoesOnWithItsSeqAndItsAgentsLoad() {
    connect("anna", "a1");
    Conversation kept = open("c1", "shop", "anna", T0);
    Conversation lost = new Conversation("c2", "abc", "shop", "bob", false, T0);

    done(stores.conversations().restore(lost, 41));
    done(stores.conversations().restore(kept, 0));

    assertEquals(lost, done(stores.conversations().conversation("c2")));
    assertEquals(List.of("c1", "c2"), done(stores.conversations().conversationsOf("abc")).stream()
        .map(Conversation::id).sorted().toList());
    assertEquals(List.of(1, 1), state("shop", T0).members().stream().map(MemberState::load).toList());
    assertEquals(42, done(stores.messages().append(lost, "abc", "after", T0, io.switchboard.conversation.Handling.DELIVER))
        .event().seq(), "its seq goes on");
  }

  // --- decisions and history

  @Test
  void decisionsAreKeptNewestFirstAndBoundedAndMoveTheRoundRobinCursor() {
    int recorded = DECISIONS_KEPT + 2;
    IntStream.range(0, recorded).forEach(i -> done(stores.conversations().recordDecision(new RouteDecision(T0 + i,
        "c" + i, "abc", "shop", "anna", "round-robin",
        List.of(new TraceEntry("round-robin", TraceEntry.SELECTED, "anna is next in turn"))), i == 0 ? "anna" : null)));

    List<RouteDecision> decisions = done(stores.conversations().decisions("shop", 100));

    List<String> newestFirst = IntStream.range(0, DECISIONS_KEPT).mapToObj(i -> "c" + (recorded - 1 - i)).toList();
    assertEquals(newestFirst, decisions.stream().map(RouteDecision::conversation).toList());
    assertEquals(T0 + recorded - 1, decisions.get(0).ts());
    assertEquals("anna is next in turn", decisions.get(0).trace().get(0).reason());
    assertEquals(List.of("c" + (recorded - 1), "c" + (recorded - 2)),
        done(stores.conversations().decisions("shop", 2)).stream().map(RouteDecision::conversation).toList());
    assertEquals("anna", state("shop", T0).lastRoundRobin());
  }

  @Test
  void importedHistoryIsKeptInTimeOrderAndBounded() {
    List<HistoryRecord> records = IntStream.rangeClosed(1, ConversationStore.HISTORY_LIMIT + 1)
        .mapToObj(i -> new HistoryRecord(T0 + (i % 2 == 0 ? i : -i), "abc", "shop", List.of("anna"))).toList();
    done(stores.conversations().addHistory(records));

    List<HistoryRecord> kept = done(stores.conversations().history("abc", "shop"));

    assertEquals(ConversationStore.HISTORY_LIMIT, kept.size());
    for (int i = 1; i < kept.size(); i++) {
      assertTrue(kept.get(i - 1).ts() >= kept.get(i).ts(), "newest first");
    }
    assertNull(state("xyz", T0).virtualUser());
  }

  // --- transfers

  @Test
  void aTransferHandsTheConversationToTheNewAgentWithItsLoadAndAHistoryRecord() {
    connect("abc", "s1");
    connect("anna", "a1");
    connect("bob", "b1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    assertTrue(reserve("bob", "c1", T0 + 5).granted());
    Conversation moved = new Conversation("c1", "abc", "shop", "bob", false, T0);

    TransferredConversation transferred = done(stores.conversations().transfer(moved, "anna", NODE, T0 + 10));

    assertEquals(new TransferredConversation(moved, List.of(GATEWAY), List.of(GATEWAY)), transferred);
    assertEquals(moved, done(stores.conversations().conversation("c1")));
    RoutingState shop = state("shop", T0 + 20);
    assertEquals(List.of(0, 1), shop.members().stream().map(MemberState::load).toList(), "the load moved to bob");
    assertEquals(T0 + 10, shop.members().get(1).lastAssigned());
    assertEquals(new HistoryRecord(T0 + 10, "abc", "shop", List.of("bob")), shop.history().get(0));
    assertEquals(List.of(), done(stores.conversations().conversationsOf("anna")));
    assertEquals(List.of(moved), done(stores.conversations().conversationsOf("bob")));
    assertEquals(List.of(), done(stores.conversations().releaseReservationsOf(NODE)),
        "the reservation became the conversation");

    // a gateway that still knows the conversation with anna closes it all the same, and bob's load is given back
    ClosedConversation closed = done(stores.conversations().close("c1", "abc", c1));
    assertEquals(moved, closed.conversation());
    assertEquals(List.of(0, 0), state("shop", T0 + 30).members().stream().map(MemberState::load).toList());
  }

  @Test
  void aTransferToAnotherVirtualUserMovesTheConversationThere() {
    connect("anna", "a1");
    connect("cora", "c1");
    open("c1", "shop", "anna", T0);
    assertTrue(reserve("cora", "c1", T0).granted());
    Conversation moved = new Conversation("c1", "abc", "desk", "cora", true, T0);

    done(stores.conversations().transfer(moved, "anna", NODE, T0 + 10));

    assertEquals(moved, done(stores.conversations().conversation("c1")));
    assertEquals(new HistoryRecord(T0 + 10, "abc", "desk", List.of("cora")), state("desk", T0 + 20).history().get(0));
    assertEquals(List.of(0, 0), state("shop", T0 + 20).members().stream().map(MemberState::load).toList());
  }

  @Test
  void aTransferFromAnAgentThatNoLongerHoldsTheConversationIsRefusedAndChangesNothing() {
    connect("anna", "a1");
    connect("bob", "b1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    assertTrue(reserve("bob", "c1", T0).granted());
    Conversation toBob = new Conversation("c1", "abc", "shop", "bob", false, T0);

    assertFails(ErrorCode.GONE, stores.conversations().transfer(toBob, "xyz", NODE, T0 + 10));
    assertEquals(c1, done(stores.conversations().conversation("c1")));
    assertEquals(List.of(c1), done(stores.conversations().conversationsOf("anna")));
    assertFails(ErrorCode.NOT_FOUND, stores.conversations().transfer(
        new Conversation("c9", "abc", "shop", "bob", false, T0), "anna", NODE, T0 + 10));
    done(stores.conversations().close("c1", "anna", c1));
    assertFails(ErrorCode.GONE, stores.conversations().transfer(toBob, "anna", NODE, T0 + 20));
  }

  private RoutingState state(String destination, long now) {
    return done(stores.conversations().routingState(destination, "abc", now));
  }
}
