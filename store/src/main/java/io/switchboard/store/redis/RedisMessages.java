package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.UserEvent;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Handling;
import io.switchboard.conversation.TranscriptEntry;
import io.switchboard.store.Mailbox;
import io.switchboard.store.MessageDelivery;
import io.switchboard.store.MessageLimits;
import io.switchboard.store.MessageStore;
import io.switchboard.store.TranscriptPage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages on Redis. On one Redis server a message is one script: the conversation numbers it, records it and, in
 * the same step, the recipient's side queues it when the recipient has no session (or holds it). On Redis Cluster
 * the recipient's keys hash to another slot, so its side is a second step ({@code deliver.lua}); the message is
 * numbered and recorded before it is queued, so a recipient that connects in between finds it with {@code resume}.
 */
final class RedisMessages implements MessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisMessages.class);

  private final RedisConnector redis;
  /** Whether one script may reach both the conversation's and the recipient's keys (not on Redis Cluster). */
  private final boolean recipientInSameStep;
  private final MessageLimits limits;

  RedisMessages(RedisConnector redis, boolean recipientInSameStep, MessageLimits limits) {
    this.redis = redis;
    this.recipientInSameStep = recipientInSameStep;
    this.limits = limits;
  }

  @Override
  public Future<MessageDelivery> append(Conversation conversation, String sender, String body, long ts,
                                        Handling handling) {
    if (!conversation.hasParty(sender)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.FORBIDDEN,
          "conversation " + conversation.id() + " is not yours"));
    }
    String recipient = conversation.peerOf(sender);
    RedisKeys.ConversationKeys keys = RedisKeys.conversation(conversation.id());
    boolean held = handling.disposition() == Handling.Disposition.HELD;
    String listLimit = Integer.toString(held ? limits.held() : limits.mailbox());
    JsonObject event = conversation.messageFrom(sender, 0, ts, body, handling.notifyLevel(), handling.automatic(),
        handling.rule()).toJson();
    event.remove("seq");
    List<String> eventAround = RedisReplies.aroundSeq(event);
    List<String> entryAround = RedisReplies.aroundSeq(new JsonObject().put("recipient", recipient).put("sender", sender)
        .put("ts", ts).put("body", body).put("handling", handling.disposition().wire())
        .put("notify", handling.notifyLevel()).put("auto", handling.automatic()).put("rule", handling.rule()));
    List<String> keyList = new ArrayList<>(List.of(keys.conversation(), keys.closed(), keys.sequence(), keys.transcript()));
    if (recipientInSameStep) {
      keyList.addAll(recipientSide(recipient, held));
    }
    List<String> args = List.of(conversation.id(), sender, Integer.toString(TRANSCRIPT_LIMIT), entryAround.get(0),
        entryAround.get(1), handling.disposition().wire(), eventAround.get(0), eventAround.get(1), listLimit, recipient);
    return redis.eval(Script.APPEND, keyList, args).compose(numbered -> {
      Conversation open = RedisReplies.conversation(conversation.id(), numbered.get(0));
      MessageEvent message = open.messageFrom(sender, numbered.get(1).toLong(), ts, body, handling.notifyLevel(),
          handling.automatic(), handling.rule());
      // The conversation's recipient now: another than the caller's when it was handed on since the caller read it.
      String to = open.peerOf(sender);
      Future<RecipientSide> delivered = numbered.size() > 2
          ? Future.succeededFuture(RecipientSide.from(numbered, 2))
          : redis.eval(Script.DELIVER, recipientSide(to, held),
              List.of(handling.disposition().wire(), message.toJson().encode(), listLimit))
              .map(side -> RecipientSide.from(side, 0))
              .compose(side -> side.refused() == 0 ? Future.succeededFuture(side)
                  : markHandling(conversation.id(), to, handling.disposition(), Handling.Disposition.DROPPED,
                      List.of(message.seq())).map(side));
      return delivered.map(side -> new MessageDelivery(to, message, side.gateways(), side.queued(), side.held(),
          side.refused()));
    });
  }

  /** The recipient's keys a message touches: its sessions, its held list or its mailbox, its refused counts. */
  private static List<String> recipientSide(String recipient, boolean held) {
    RedisKeys.UserKeys keys = RedisKeys.user(recipient);
    return List.of(keys.sessions(), held ? keys.held() : keys.mailbox(), keys.refused());
  }

  /** The recipient's side of a message, as {@code queue_for} returns it from position {@code at} of a reply. */
  private record RecipientSide(List<String> gateways, boolean queued, int held, int refused) {
    static RecipientSide from(Response reply, int at) {
      return new RecipientSide(RedisReplies.gateways(reply.get(at)), reply.get(at + 1).toInteger() == 1,
          reply.get(at + 2).toInteger(), reply.get(at + 3).toInteger());
    }
  }

  @Override
  public Future<Boolean> requeue(String user, MessageEvent event, String gateway) {
    RedisKeys.UserKeys keys = RedisKeys.user(user);
    return redis.eval(Script.REQUEUE, List.of(keys.sessions(), keys.mailbox(), keys.refused()),
            List.of(gateway, event.toJson().encode(), Integer.toString(limits.mailbox())))
        .map(queued -> queued.toInteger() == 1);
  }

  @Override
  public Future<Mailbox> drainMailbox(String user) {
    RedisKeys.UserKeys keys = RedisKeys.user(user);
    return takeList(keys.mailbox(), keys.refused(), "mailbox", "held-unseen")
        .map(taken -> new Mailbox(messages(taken.get(0)), taken.get(1).toInteger(), taken.get(2).toInteger()));
  }

  @Override
  public Future<List<MessageEvent>> heldMessages(String user) {
    return redis.send(Request.cmd(Command.LRANGE).arg(RedisKeys.user(user).held()).arg(0).arg(-1))
        .map(RedisMessages::messages);
  }

  /**
   * Takes the chosen held messages (and starts the held list's count of refused messages again from 0), then marks
   * them delivered in their conversations' transcripts (one step per conversation, each on its own slot) before
   * answering, so {@code resume} finds the messages they become.
   */
  @Override
  public Future<List<MessageEvent>> releaseHeld(String user, Collection<MessageEvent> which) {
    if (which.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    RedisKeys.UserKeys keys = RedisKeys.user(user);
    List<String> pairs = new ArrayList<>(2 * which.size());
    which.forEach(event -> {
      pairs.add(event.conversation());
      pairs.add(Long.toString(event.seq()));
    });
    return redis.eval(Script.RELEASE_HELD, List.of(keys.held(), keys.refused()), pairs).map(RedisMessages::messages)
        .compose(released -> markDelivered(user, released));
  }

  /** Marks released messages delivered in their transcripts; they go to the user even if one cannot be marked. */
  private Future<List<MessageEvent>> markDelivered(String user, List<MessageEvent> released) {
    Map<String, List<Long>> seqs = new LinkedHashMap<>();
    released.forEach(event -> seqs.computeIfAbsent(event.conversation(), k -> new ArrayList<>()).add(event.seq()));
    return Future.all(seqs.entrySet().stream().map(conversation -> markHandling(conversation.getKey(), user,
            Handling.Disposition.HELD, Handling.Disposition.DELIVERED, conversation.getValue())).toList())
        .transform(marked -> {
          if (marked.failed()) {
            LOG.warn("released messages of {} stay marked held in a transcript: {}", user, marked.cause().getMessage());
          }
          return Future.succeededFuture(released);
        });
  }

  /** Marks the messages {@code seqs} to {@code recipient} in a conversation's transcript {@code to} instead of {@code from}. */
  private Future<Void> markHandling(String conversation, String recipient, Handling.Disposition from,
                                    Handling.Disposition to, List<Long> seqs) {
    List<String> args = new ArrayList<>(List.of(recipient, from.wire(), to.wire()));
    seqs.forEach(seq -> args.add(Long.toString(seq)));
    return redis.eval(Script.MARK_HANDLING, List.of(RedisKeys.conversation(conversation).transcript()), args).mapEmpty();
  }

  private Future<Response> takeList(String list, String refused, String... counts) {
    return redis.eval(Script.TAKE_LIST, List.of(list, refused), List.of(counts));
  }

  private static List<MessageEvent> messages(Response items) {
    return RedisReplies.strings(items).stream().map(json -> (MessageEvent) UserEvent.fromJson(new JsonObject(json))).toList();
  }

  @Override
  public Future<List<MessageEvent>> messagesAfter(String conversation, String user, long afterSeq) {
    return transcriptLines(conversation, user, afterSeq, TRANSCRIPT_LIMIT).map(lines -> lines.stream()
        .filter(line -> line.conversation().resumedFor(user, line.sender(), line.recipient(),
            line.handling() == Handling.Disposition.DELIVERED))
        .map(line -> line.recipient().equals(user) ? line.event() : line.conversation().asSentBy(line.event(), line.sender()))
        .toList());
  }

  @Override
  public Future<TranscriptPage> transcript(String conversation, String user, long afterSeq, int limit) {
    // One line beyond the page tells whether more follow.
    return transcriptLines(conversation, user, afterSeq, limit + 1).map(lines -> TranscriptPage.of(lines.stream()
        .map(line -> new TranscriptEntry(line.recipient().equals(user) ? line.event()
            : line.conversation().asSentBy(line.event(), line.sender()), line.handling()))
        .toList(), limit));
  }

  /** A transcript entry: the message as its recipient received it and how it was handled. */
  private record TranscriptLine(Conversation conversation, String sender, String recipient, MessageEvent event,
                                Handling.Disposition handling) {
  }

  /** The first {@code most} lines after {@code afterSeq} that {@code user} may read (none dropped for it). */
  private Future<List<TranscriptLine>> transcriptLines(String conversation, String user, long afterSeq, int most) {
    RedisKeys.ConversationKeys keys = RedisKeys.conversation(conversation);
    return redis.eval(Script.TRANSCRIPT, List.of(keys.conversation(), keys.closed(), keys.transcript()),
            List.of(conversation, user, Long.toString(afterSeq), Integer.toString(most)))
        .map(found -> {
          Conversation open = RedisReplies.conversation(conversation, found.get(0));
          return RedisReplies.strings(found.get(1)).stream().map(JsonObject::new)
              .map(entry -> new TranscriptLine(open, entry.getString("sender"), entry.getString("recipient"),
                  open.messageFrom(entry.getString("sender"), entry.getLong("seq"), entry.getLong("ts"),
                      entry.getString("body"), entry.getString("notify"), entry.getBoolean("auto", false),
                      entry.getString("rule")),
                  Handling.Disposition.parse(entry.getString("handling"))))
              .toList();
        });
  }
}
