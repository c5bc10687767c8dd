package io.switchboard.store.memory;

import io.switchboard.contract.MessageEvent;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Handling;
import io.switchboard.conversation.TranscriptEntry;
import io.switchboard.store.Mailbox;
import io.switchboard.store.MessageDelivery;
import io.switchboard.store.MessageLimits;
import io.switchboard.store.MessageStore;
import io.switchboard.store.TranscriptPage;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The embedded store's messages: numbering, transcripts, mailboxes and held messages. */
final class InMemoryMessages implements MessageStore {

  private final InMemoryData data;
  private final MessageLimits limits;

  InMemoryMessages(InMemoryData data, MessageLimits limits) {
    this.data = data;
    this.limits = limits;
  }

  @Override
  public Future<MessageDelivery> append(Conversation conversation, String sender, String body, long ts,
                                        Handling handling) {
    return data.atomically(() -> {
      Conversation open = data.partyOf(conversation.id(), sender);
      String recipient = open.peerOf(sender);
      List<String> gateways = data.gatewaysOf(recipient);
      boolean held = handling.disposition() == Handling.Disposition.HELD;
      boolean queued = handling.disposition() == Handling.Disposition.DELIVERED && gateways.isEmpty();
      Map<String, Deque<MessageEvent>> lists = held ? data.held : data.mailboxes;
      Deque<MessageEvent> list = held || queued ? lists.computeIfAbsent(recipient, k -> InMemoryData.deque()) : null;
      if (list != null && list.size() >= (held ? limits.held() : limits.mailbox())) {
        if (held && gateways.isEmpty()) {
          data.refusedHeldUnseen.merge(recipient, 1, Integer::sum);
        }
        int refused = (held ? data.refusedHeld : data.refusedMailbox).merge(recipient, 1, Integer::sum);
        MessageEvent unsent = open.messageFrom(sender, 0, ts, body, handling.notifyLevel(), handling.automatic());
        return new MessageDelivery(recipient, unsent, gateways, false, 0, refused);
      }
      long seq = data.sequences.merge(open.id(), 1L, Long::sum);
      MessageEvent event = open.messageFrom(sender, seq, ts, body, handling.notifyLevel(), handling.automatic(),
          handling.rule());
      if (list != null) {
        list.addLast(event);
      }
      InMemoryData.append(data.transcripts.computeIfAbsent(open.id(), k -> InMemoryData.deque()),
          new InMemoryData.Line(sender, recipient, event, handling.disposition()), TRANSCRIPT_LIMIT);
      return new MessageDelivery(recipient, event, gateways, queued, held ? list.size() : 0, 0);
    });
  }

  @Override
  public Future<Boolean> requeue(String user, MessageEvent event, String gateway) {
    return data.atomically(() -> {
      if (data.gatewaysOf(user).stream().anyMatch(other -> !other.equals(gateway))) {
        return false;
      }
      Deque<MessageEvent> mailbox = data.mailboxes.computeIfAbsent(user, k -> InMemoryData.deque());
      if (mailbox.size() >= limits.mailbox()) {
        data.refusedMailbox.merge(user, 1, Integer::sum);
        return false;
      }
      mailbox.addLast(event);
      return true;
    });
  }

  @Override
  public Future<Mailbox> drainMailbox(String user) {
    return data.atomically(() -> {
      Deque<MessageEvent> mailbox = data.mailboxes.remove(user);
      Integer refused = data.refusedMailbox.remove(user);
      Integer refusedHeld = data.refusedHeldUnseen.remove(user);
      return new Mailbox(mailbox == null ? List.of() : List.copyOf(mailbox), refused == null ? 0 : refused,
          refusedHeld == null ? 0 : refusedHeld);
    });
  }

  @Override
  public Future<List<MessageEvent>> messagesAfter(String conversation, String user, long afterSeq) {
    return data.atomically(() -> {
      Conversation open = data.partyOf(conversation, user);
      return lines(conversation).stream()
          .filter(line -> line.event().seq() > afterSeq && open.resumedFor(user, line.sender(), line.recipient(),
              line.handling() == Handling.Disposition.DELIVERED))
          .map(line -> line.recipient().equals(user) ? line.event() : open.asSentBy(line.event(), line.sender()))
          .toList();
    });
  }

  @Override
  public Future<TranscriptPage> transcript(String conversation, String user, long afterSeq, int limit) {
    return data.atomically(() -> {
      Conversation open = data.partyOf(conversation, user);
      return TranscriptPage.of(lines(conversation).stream()
          .filter(line -> line.event().seq() > afterSeq
              && !(line.recipient().equals(user) && line.handling() == Handling.Disposition.DROPPED))
          .limit(limit + 1L)
          .map(line -> new TranscriptEntry(line.recipient().equals(user) ? line.event()
              : open.asSentBy(line.event(), line.sender()), line.handling()))
          .toList(), limit);
    });
  }

  private Deque<InMemoryData.Line> lines(String conversation) {
    return data.transcripts.getOrDefault(conversation, new ArrayDeque<>());
  }

  @Override
  public Future<List<MessageEvent>> heldMessages(String user) {
    return data.atomically(() -> List.copyOf(data.held.getOrDefault(user, new ArrayDeque<>())));
  }

  @Override
  public Future<List<MessageEvent>> releaseHeld(String user, Collection<MessageEvent> which) {
    Set<String> wanted = which.stream().map(InMemoryMessages::heldKey).collect(Collectors.toSet());
    return data.atomically(() -> {
      Deque<MessageEvent> userHeld = data.held.get(user);
      if (userHeld == null) {
        return List.of();
      }
      List<MessageEvent> taken = userHeld.stream().filter(event -> wanted.contains(heldKey(event))).toList();
      if (taken.isEmpty()) {
        return taken;
      }
      userHeld.removeIf(event -> wanted.contains(heldKey(event)));
      if (userHeld.isEmpty()) {
        data.held.remove(user);
      }
      data.refusedHeld.remove(user);
      markDelivered(user, taken);
      return taken;
    });
  }

  /** Marks released messages delivered in their transcripts, with their seq, as if delivered when sent. */
  private void markDelivered(String user, Collection<MessageEvent> released) {
    Map<String, Set<Long>> seqs = new HashMap<>();
    released.forEach(event -> seqs.computeIfAbsent(event.conversation(), k -> new HashSet<>()).add(event.seq()));
    seqs.forEach((conversation, marked) -> {
      Deque<InMemoryData.Line> lines = data.transcripts.get(conversation);
      if (lines == null) {
        return;
      }
      Deque<InMemoryData.Line> after = InMemoryData.deque();
      for (InMemoryData.Line line : lines) {
        boolean releasedHere = line.recipient().equals(user) && line.handling() == Handling.Disposition.HELD
            && marked.contains(line.event().seq());
        after.addLast(releasedHere
            ? new InMemoryData.Line(line.sender(), user, line.event(), Handling.Disposition.DELIVERED) : line);
      }
      data.transcripts.put(conversation, after);
    });
  }

  private static String heldKey(MessageEvent event) {
    return event.conversation() + '\n' + event.seq();
  }
}
