package io.switchboard.store;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Handling;
import io.switchboard.conversation.TranscriptEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store's messages must do: numbering, transcripts, mailboxes, held messages. */
public abstract class MessageStoreContract extends StoreContract {

  /** The limits of the stores under this contract: the default mailbox, and a held list small enough to fill. */
  public static final MessageLimits LIMITS = new MessageLimits(MessageStore.MAILBOX_LIMIT, 5);

  private static Handling handled(Handling.Disposition disposition, String notify) {
    return new Handling(disposition, notify, false);
  }

  private MessageDelivery append(Conversation conversation, String sender, String body, long ts, Handling handling) {
    return done(stores.messages().append(conversation, sender, body, ts, handling));
  }

  @Test
  void messagesAreNumberedAcrossBothPartiesAndTheAgentHidesBehindTheVirtualUser() {
    connect("abc", "s1");
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);

    MessageDelivery first = append(c1, "abc", "hello", T0 + 1, Handling.DELIVER);
    MessageDelivery second = append(c1, "anna", "how can I help?", T0 + 2, Handling.DELIVER);
    MessageDelivery third = append(c1, "abc", "a book", T0 + 3, Handling.DELIVER);

    assertEquals(new MessageDelivery("anna", new MessageEvent("c1", "abc", null, 1, T0 + 1, "hello"), List.of(GATEWAY),
        false, 0, 0), first);
    assertEquals(new MessageDelivery("abc", new MessageEvent("c1", "shop", null, 2, T0 + 2, "how can I help?"),
        List.of(GATEWAY), false, 0, 0), second);
    assertEquals(3, third.event().seq());
  }

  @Test
  void onlyPartiesMaySendInAnOpenConversation() {
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);

    assertFails(ErrorCode.FORBIDDEN, stores.messages().append(c1, "xyz", "hi", T0, Handling.DELIVER));
    done(stores.conversations().close("c1", "abc", c1));
    assertFails(ErrorCode.GONE, stores.messages().append(c1, "abc", "hi", T0, Handling.DELIVER));
  }

  @Test
  void aPartyCanFetchWhatItReceivedAfterASequenceNumber() {
    connect("abc", "s1");
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    append(c1, "abc", "hello", T0 + 1, Handling.DELIVER);
    append(c1, "anna", "hi", T0 + 2, Handling.DELIVER);
    append(c1, "anna", "how can I help?", T0 + 3, Handling.DELIVER);

    assertEquals(List.of(2L, 3L), done(stores.messages().messagesAfter("c1", "abc", 0)).stream().map(MessageEvent::seq).toList());
    assertEquals(List.of(new MessageEvent("c1", "shop", null, 3, T0 + 3, "how can I help?")),
        done(stores.messages().messagesAfter("c1", "abc", 2)));
    assertEquals(List.of("hello"), done(stores.messages().messagesAfter("c1", "anna", 0)).stream().map(MessageEvent::body).toList());
    assertFails(ErrorCode.FORBIDDEN, stores.messages().messagesAfter("c1", "xyz", 0));
    done(stores.conversations().close("c1", "abc", c1));
    assertFails(ErrorCode.GONE, stores.messages().messagesAfter("c1", "abc", 0));
  }

  @Test
  void messagesForAUserWithoutSessionAreQueuedAndDrainedOnceInOrder() {
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);

    MessageDelivery first = append(c1, "anna", "first", T0 + 1, Handling.DELIVER);
    assertTrue(first.queued());
    assertEquals(List.of(), first.gateways());
    assertTrue(append(c1, "anna", "second", T0 + 2, Handling.DELIVER).queued());

    List<MessageEvent> drained = done(stores.messages().drainMailbox("abc")).messages();
    assertEquals(List.of("first", "second"), drained.stream().map(MessageEvent::body).toList());
    assertEquals(List.of(1L, 2L), drained.stream().map(MessageEvent::seq).toList());
    assertEquals("shop", drained.get(0).from());
    assertEquals(Mailbox.EMPTY, done(stores.messages().drainMailbox("abc")));
    assertEquals(Mailbox.EMPTY, done(stores.messages().drainMailbox("anna")), "anna's own messages are not queued for her");
  }

  @Test
  void aMessageThatFoundItsRecipientGoneWaitsInTheMailboxUnlessTheRecipientIsConnectedElsewhere() {
    MessageEvent late = new MessageEvent("c1", "shop", null, 1, T0, "late");
    done(stores.presence().connect(new io.switchboard.contract.SessionRef("abc", "s1", NODE, "node-a/1")));

    assertTrue(done(stores.messages().requeue("abc", late, "node-a/1")), "its session there is the one that went");
    done(stores.presence().connect(new io.switchboard.contract.SessionRef("abc", "s2", "node-b", "node-b/1")));
    assertFalse(done(stores.messages().requeue("abc", late, "node-a/1")), "node-b/1 has it");

    assertEquals(new Mailbox(List.of(late), 0, 0), done(stores.messages().drainMailbox("abc")));
  }

  @Test
  void aFullMailboxRefusesNewMessagesAndCountsThemAndDropsNothingWaiting() {
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    IntStream.rangeClosed(1, MessageStore.MAILBOX_LIMIT).forEach(i -> append(c1, "anna", "m" + i, T0, Handling.DELIVER));

    MessageDelivery refused = append(c1, "anna", "one too many", T0 + 1, Handling.DELIVER);
    assertTrue(refused.wasRefused());
    assertEquals(1, refused.refused());
    assertFalse(refused.queued());
    assertEquals(2, append(c1, "anna", "two too many", T0 + 2, Handling.DELIVER).refused());
    MessageEvent late = new MessageEvent("c1", "shop", null, 9999, T0, "late");
    assertFalse(done(stores.messages().requeue("abc", late, "node-a/1")), "a full mailbox refuses a requeued message too");

    Mailbox drained = done(stores.messages().drainMailbox("abc"));
    assertEquals(MessageStore.MAILBOX_LIMIT, drained.messages().size());
    assertEquals("m1", drained.messages().get(0).body());
    assertEquals("m" + MessageStore.MAILBOX_LIMIT, drained.messages().get(drained.messages().size() - 1).body());
    assertEquals(3, drained.refused());
    assertEquals(Mailbox.EMPTY, done(stores.messages().drainMailbox("abc")), "the count starts again");
    List<String> resumable = done(stores.messages().messagesAfter("c1", "abc", 0)).stream().map(MessageEvent::body).toList();
    assertFalse(resumable.contains("one too many") || resumable.contains("two too many"), "refused messages were not delivered");
    assertFalse(append(c1, "anna", "room again", T0 + 3, Handling.DELIVER).wasRefused());
  }

  @Test
  void aFullHeldListRefusesNewMessagesUntilItIsReleased() {
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    Handling hold = handled(Handling.Disposition.HELD, "silent");
    for (int i = 1; i <= LIMITS.held(); i++) {
      assertEquals(i, append(c1, "anna", "held " + i, T0 + i, hold).held());
    }

    MessageDelivery refused = append(c1, "anna", "one too many", T0 + 10, hold);
    assertEquals(1, refused.refused());
    assertEquals(2, append(c1, "anna", "two too many", T0 + 11, hold).refused());
    assertFalse(append(c1, "anna", "delivered", T0 + 12, Handling.DELIVER).wasRefused(), "only held messages are refused");
    assertTrue(done(stores.messages().transcript("c1", "abc", 0, 100)).entries().stream()
        .noneMatch(entry -> entry.message().body().contains("too many")), "the recipient never sees a refused message");

    Mailbox drained = done(stores.messages().drainMailbox("abc"));
    assertEquals(List.of("delivered"), drained.messages().stream().map(MessageEvent::body).toList());
    assertEquals(2, drained.refusedHeld(), "abc, without a session, saw no notice: it is told on its next one");
    List<MessageEvent> released = releaseAll("abc");
    assertEquals(IntStream.rangeClosed(1, LIMITS.held()).mapToObj(i -> "held " + i).toList(),
        released.stream().map(MessageEvent::body).toList());
    MessageDelivery again = append(c1, "anna", "held again", T0 + 13, hold);
    assertEquals(0, again.refused());
    assertEquals(1, again.held());

    connect("abc", "s1");
    IntStream.rangeClosed(2, LIMITS.held()).forEach(i -> append(c1, "anna", "held " + i, T0 + 20 + i, hold));
    assertEquals(1, append(c1, "anna", "told at once", T0 + 30, hold).refused(), "the count started again");
    assertEquals(Mailbox.EMPTY, done(stores.messages().drainMailbox("abc")), "a connected recipient was told at once");
  }

  @Test
  void heldMessagesWaitOutsideTheMailboxAndAreReleasedOnceInOrder() {
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    MessageDelivery first = append(c1, "anna", "one", T0 + 1, handled(Handling.Disposition.HELD, "silent"));
    MessageDelivery second = append(c1, "anna", "two", T0 + 2, handled(Handling.Disposition.HELD, "none"));
    assertEquals(List.of(1, 2), List.of(first.held(), second.held()));
    assertFalse(second.queued(), "a held message is not also queued in the mailbox");
    assertEquals(Mailbox.EMPTY, done(stores.messages().drainMailbox("abc")));

    List<MessageEvent> held = done(stores.messages().heldMessages("abc"));
    assertEquals(List.of("one", "two"), held.stream().map(MessageEvent::body).toList());
    List<MessageEvent> released = done(stores.messages().releaseHeld("abc", held));
    assertEquals(List.of("one", "two"), released.stream().map(MessageEvent::body).toList());
    assertEquals(List.of("silent", "none"), released.stream().map(MessageEvent::notifyLevel).toList());
    assertTrue(done(stores.messages().releaseHeld("abc", held)).isEmpty(), "released once");
    assertTrue(done(stores.messages().heldMessages("abc")).isEmpty());
  }

  @Test
  void someHeldMessagesAreReleasedAndTheOthersStayHeldInOrderEachNamingItsRule() {
    connect("abc", "s1");
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    Conversation c2 = open("c2", "shop", "anna", T0);
    for (int i = 1; i <= LIMITS.held(); i++) {
      Conversation in = i % 2 == 0 ? c2 : c1;
      append(in, "anna", "m" + i, T0 + i, new Handling(Handling.Disposition.HELD, "silent", false,
          i % 3 == 0 ? "at-night" : "while-busy"));
    }
    List<MessageEvent> held = done(stores.messages().heldMessages("abc"));
    assertEquals(List.of("while-busy", "while-busy", "at-night", "while-busy", "while-busy"),
        held.stream().map(MessageEvent::rule).toList());

    List<MessageEvent> nights = held.stream().filter(event -> "at-night".equals(event.rule())).toList();
    List<MessageEvent> released = done(stores.messages().releaseHeld("abc", nights));
    assertEquals(nights, released);
    assertEquals(List.of("m3"), released.stream().map(MessageEvent::body).toList());
    assertEquals(List.of(Handling.Disposition.HELD, Handling.Disposition.DELIVERED, Handling.Disposition.HELD),
        done(stores.messages().transcript("c1", "abc", 0, 10)).entries().stream().map(TranscriptEntry::handling).toList(),
        "only the released one is marked delivered");
    assertEquals(List.of("m1", "m2", "m4", "m5"),
        done(stores.messages().heldMessages("abc")).stream().map(MessageEvent::body).toList());
    MessageDelivery later = append(c1, "anna", "m6", T0 + 6, handled(Handling.Disposition.HELD, "popup"));
    assertEquals(LIMITS.held(), later.held(), "the count goes on from what stayed held");
    assertEquals(List.of("m1", "m2", "m4", "m5", "m6"), releaseAll("abc").stream().map(MessageEvent::body).toList());
  }

  private List<MessageEvent> releaseAll(String user) {
    return done(stores.messages().releaseHeld(user, done(stores.messages().heldMessages(user))));
  }

  @Test
  void releasedMessagesAreMarkedDeliveredWithTheirSeqAndAreFoundAfterASeq() {
    connect("abc", "s1");
    connect("anna", "a1");
    connect("bob", "b1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    Conversation c2 = open("c2", "shop", "bob", T0);
    append(c1, "anna", "held \"handling\":\"held\" one", T0 + 1, handled(Handling.Disposition.HELD, "silent"));
    append(c1, "abc", "from abc", T0 + 2, Handling.DELIVER);
    append(c2, "bob", "held two", T0 + 3, handled(Handling.Disposition.HELD, "popup"));
    append(c1, "anna", "held three", T0 + 4, handled(Handling.Disposition.HELD, "none"));
    assertTrue(done(stores.messages().messagesAfter("c1", "abc", 0)).isEmpty(), "held messages are not delivered yet");

    List<MessageEvent> released = releaseAll("abc");
    assertEquals(List.of(1L, 1L, 3L), released.stream().map(MessageEvent::seq).toList());
    List<MessageEvent> resumed = done(stores.messages().messagesAfter("c1", "abc", 0));
    assertEquals(List.of("held \"handling\":\"held\" one", "held three"), resumed.stream().map(MessageEvent::body).toList());
    assertEquals(List.of(1L, 3L), resumed.stream().map(MessageEvent::seq).toList());
    assertEquals(List.of("silent", "none"), resumed.stream().map(MessageEvent::notifyLevel).toList());
    assertEquals(List.of("held two"), done(stores.messages().messagesAfter("c2", "abc", 0)).stream()
        .map(MessageEvent::body).toList());
    assertEquals(List.of(Handling.Disposition.DELIVERED, Handling.Disposition.DELIVERED, Handling.Disposition.DELIVERED),
        done(stores.messages().transcript("c1", "abc", 0, 10)).entries().stream().map(TranscriptEntry::handling).toList());
  }

  @Test
  void theTranscriptMarksHowEachMessageWasHandledAndHidesWhatWasDroppedForTheReader() {
    connect("abc", "s1");
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    append(c1, "abc", "hello", T0 + 1, Handling.DELIVER);
    append(c1, "anna", "auto text", T0 + 2, new Handling(Handling.Disposition.DELIVERED, "popup", true));
    append(c1, "abc", "for the record", T0 + 3, handled(Handling.Disposition.TRANSCRIPT, "popup"));
    append(c1, "abc", "spam", T0 + 4, handled(Handling.Disposition.DROPPED, "popup"));

    List<TranscriptEntry> forAnna = transcript("c1", "anna", 0, 100).entries();
    assertEquals(List.of("hello", "auto text", "for the record"), forAnna.stream().map(e -> e.message().body()).toList());
    assertEquals(List.of(Handling.Disposition.DELIVERED, Handling.Disposition.DELIVERED, Handling.Disposition.TRANSCRIPT),
        forAnna.stream().map(TranscriptEntry::handling).toList());
    assertEquals(List.of("abc", "anna", "abc"), forAnna.stream().map(e -> e.message().from()).toList());
    assertTrue(forAnna.get(1).message().auto());
    List<TranscriptEntry> forAbc = transcript("c1", "abc", 0, 100).entries();
    assertEquals(4, forAbc.size(), "the sender sees all it sent");
    assertEquals("shop", forAbc.get(1).message().from(), "the source sees the virtual user");
    assertFails(ErrorCode.FORBIDDEN, stores.messages().transcript("c1", "xyz", 0, 100));
    assertEquals(List.of("hello"), done(stores.messages().messagesAfter("c1", "anna", 0)).stream().map(MessageEvent::body).toList(),
        "only delivered messages are resumed");
  }

  @Test
  void theTranscriptIsReadInPagesAfterASeqWithoutWhatWasDroppedForTheReader() {
    connect("abc", "s1");
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    for (int i = 1; i <= 5; i++) {
      append(c1, "abc", "m" + i, T0 + i, i == 3 ? handled(Handling.Disposition.DROPPED, "popup") : Handling.DELIVER);
    }
    TranscriptPage first = transcript("c1", "anna", 0, 2);
    assertEquals(List.of("m1", "m2"), first.entries().stream().map(e -> e.message().body()).toList());
    assertTrue(first.more());
    TranscriptPage second = transcript("c1", "anna", 2, 2);
    assertEquals(List.of("m4", "m5"), second.entries().stream().map(e -> e.message().body()).toList(),
        "the page skips what was dropped for the reader and still fills up");
    assertFalse(second.more());
    assertEquals(List.of(3L, 4L, 5L), transcript("c1", "abc", 2, 10).entries().stream()
        .map(e -> e.message().seq()).toList(), "the sender sees what was dropped for its peer");
    TranscriptPage pastTheEnd = transcript("c1", "anna", 5, 2);
    assertTrue(pastTheEnd.entries().isEmpty());
    assertFalse(pastTheEnd.more());
  }

  @Test
  void aTranscriptPageAfterASeqFindsItsStartOnceOlderMessagesWereDropped() {
    connect("abc", "s1");
    connect("anna", "a1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    int sent = MessageStore.TRANSCRIPT_LIMIT + 10;
    for (int i = 1; i <= sent; i++) {
      append(c1, "abc", "m" + i, T0 + i, Handling.DELIVER);
    }
    assertEquals(List.of(11L, 12L), transcript("c1", "anna", 0, 2).entries().stream()
        .map(e -> e.message().seq()).toList(), "the oldest kept message comes first");
    TranscriptPage middle = transcript("c1", "anna", 500, 3);
    assertEquals(List.of(501L, 502L, 503L), middle.entries().stream().map(e -> e.message().seq()).toList());
    assertTrue(middle.more());
    TranscriptPage last = transcript("c1", "anna", sent - 1, 3);
    assertEquals(List.of((long) sent), last.entries().stream().map(e -> e.message().seq()).toList());
    assertFalse(last.more());
  }

  @Test
  void theAgentAConversationWasHandedToResumesItWholeAndMessagesFollowTheNewAgent() {
    connect("abc", "s1");
    connect("anna", "a1");
    connect("bob", "b1");
    Conversation c1 = open("c1", "shop", "anna", T0);
    append(c1, "abc", "hello", T0 + 1, Handling.DELIVER);
    append(c1, "anna", "let me find a colleague", T0 + 2, Handling.DELIVER);
    assertTrue(reserve("bob", "c1", T0 + 3).granted());
    Conversation moved = new Conversation("c1", "abc", "shop", "bob", false, T0);
    done(stores.conversations().transfer(moved, "anna", NODE, T0 + 3));

    // the source's side still knows the conversation with anna: its message reaches bob all the same
    MessageDelivery third = append(c1, "abc", "thanks", T0 + 4, Handling.DELIVER);
    assertEquals(new MessageDelivery("bob", new MessageEvent("c1", "abc", null, 3, T0 + 4, "thanks"), List.of(GATEWAY),
        false, 0, 0), third);
    assertEquals(new MessageEvent("c1", "shop", null, 4, T0 + 5, "bob here"),
        append(moved, "bob", "bob here", T0 + 5, Handling.DELIVER).event());
    assertFails(ErrorCode.FORBIDDEN, stores.messages().append(c1, "anna", "still there?", T0 + 6, Handling.DELIVER));

    assertEquals(List.of(new MessageEvent("c1", "abc", null, 1, T0 + 1, "hello"),
            new MessageEvent("c1", "anna", null, 2, T0 + 2, "let me find a colleague"),
            new MessageEvent("c1", "abc", null, 3, T0 + 4, "thanks")),
        done(stores.messages().messagesAfter("c1", "bob", 0)), "bob gets what the source and anna wrote");
    assertEquals(List.of(new MessageEvent("c1", "shop", null, 2, T0 + 2, "let me find a colleague"),
            new MessageEvent("c1", "shop", null, 4, T0 + 5, "bob here")),
        done(stores.messages().messagesAfter("c1", "abc", 0)), "the source sees the shop, whoever wrote");
    assertEquals(List.of("abc", "anna", "abc", "bob"), transcript("c1", "bob", 0, 10).entries().stream()
        .map(entry -> entry.message().from()).toList());
    assertFails(ErrorCode.FORBIDDEN, stores.messages().messagesAfter("c1", "anna", 0));
  }

  private TranscriptPage transcript(String conversation, String user, long after, int limit) {
    return done(stores.messages().transcript(conversation, user, after, limit));
  }
}
