package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.LogIds;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.contract.UserEvents;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Handling;
import io.switchboard.rules.Activation;
import io.switchboard.rules.ClosingClass;
import io.switchboard.rules.IncomingMessage;
import io.switchboard.rules.RecipientState;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.RulesEngine;
import io.switchboard.rules.Verdict;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.HandlingState;
import io.switchboard.store.MessageDelivery;
import io.switchboard.store.MessageStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Hands a message to its recipient (docs/PROTOCOL.md §Messages, docs/RULES.md): the recipient's handling rules
 * decide, on the node that receives the message, whether it is delivered (and how loudly), held, kept for the
 * transcript only or dropped, and whether an automatic reply goes back; the recipient gets a notice of anything
 * but a delivery. The store numbers the message and says which gateways hold the recipient's sessions, and the
 * message goes to exactly those. The sender's own rules see what it sent (activations, closings), and the adaptive
 * manager what both parties did ({@link Observations}).
 */
final class Deliveries {

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  private static final int MAX_CONVERSATIONS = 100_000;
  /**
   * How far a restored conversation's seq counter jumps past the last seq seen here: the other party's node may have
   * numbered messages this one has not seen yet, and no two messages may share a seq.
   */
  static final long RESTORED_SEQ_GAP = 1000;

  private final Vertx vertx;
  private final ConversationStore conversations;
  private final MessageStore messages;
  private final RulesStore rulesStore;
  private final RulesCache rules;
  private final ConnectionCounters counters;
  private final Clock clock;
  private final SwitchboardMetrics metrics;
  private final Observations observations;
  /** Per sender and conversation: the latest message sent there, until it was handed on (or failed). */
  private final Map<String, InTurn> lanes = new HashMap<>();
  /**
   * Conversations of this gateway's sessions seen lately, with the last seq seen in each: their parties change only
   * by a transfer, which tells this gateway, so they are read once, and a store that lost them can be given them back.
   */
  private final Map<String, Known> known = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
      return size() > MAX_CONVERSATIONS;
    }
  };

  private static final class Known {
    Conversation conversation;
    long lastSeq;

    Known(Conversation conversation) {
      this.conversation = conversation;
    }
  }

  Deliveries(Vertx vertx, ConversationStore conversations, MessageStore messages, RulesStore rulesStore,
             RulesCache rules, ConnectionCounters counters, Clock clock, SwitchboardMetrics metrics,
             Observations observations) {
    this.vertx = vertx;
    this.conversations = conversations;
    this.messages = messages;
    this.rulesStore = rulesStore;
    this.rules = rules;
    this.counters = counters;
    this.clock = clock;
    this.metrics = metrics;
    this.observations = observations;
  }

  /** The conversation if this gateway knows it, else null. */
  Conversation known(String id) {
    Known entry = known.get(id);
    return entry == null ? null : entry.conversation;
  }

  /** A conversation a session here opened or accepted, as the router opened it or handed it on. */
  void remember(Conversation conversation) {
    Known entry = known.get(conversation.id());
    if (entry == null) {
      known.put(conversation.id(), new Known(conversation));
    } else {
      entry.conversation = conversation;
    }
  }

  /** A message of a known conversation went through here. */
  void seen(String conversation, long seq) {
    Known entry = known.get(conversation);
    if (entry != null && entry.lastSeq < seq) {
      entry.lastSeq = seq;
    }
  }

  /**
   * Whether the store no longer knows a conversation that this gateway saw open and never saw closed: the store lost
   * it (it restarted empty, or was flushed).
   */
  private boolean lostByTheStore(Throwable failure, String conversation) {
    return SwitchboardException.of(failure).code() == ErrorCode.NOT_FOUND && known.containsKey(conversation);
  }

  /** Gives the store back a conversation it lost, going on after the last seq seen here. */
  private Future<Void> restore(String conversation) {
    Known entry = known.get(conversation);
    return entry == null ? Future.succeededFuture()
        : conversations.restore(entry.conversation, entry.lastSeq + RESTORED_SEQ_GAP);
  }

  /** A conversation closed: it is never given back to a store. */
  void forget(String conversation) {
    known.remove(conversation);
  }

  /**
   * Gives a store that lost everything the conversations known here of which {@code local} users are parties, each
   * going on {@link #RESTORED_SEQ_GAP} after the last seq seen here.
   */
  Future<Void> restoreAll(Predicate<String> local) {
    List<Future<Void>> restored = known.values().stream()
        .filter(entry -> local.test(entry.conversation.source()) || local.test(entry.conversation.agent()))
        .map(entry -> conversations.restore(entry.conversation, entry.lastSeq + RESTORED_SEQ_GAP))
        .toList();
    return Future.join(restored).mapEmpty();
  }

  /**
   * When one message of a sender's lane (a sender in a conversation) was handed to the store, and when it was handed
   * on to its recipient.
   */
  private record InTurn(Future<Void> appended, Future<Void> handedOn) {
    static final InTurn IDLE = new InTurn(Future.succeededFuture(), Future.succeededFuture());
  }

  /**
   * Numbers and hands on a message of {@code sender}; fails like the store's append. The messages of one sender in
   * one conversation reach the store in the order they were sent, whatever each needed to read first (the
   * conversation, the recipient's rules), so their {@code seq} follows that order; and they are handed on in that
   * order too, whatever each append took (one may need a second step, e.g. to find a recipient the conversation was
   * handed to), so the recipient receives them in {@code seq} order.
   */
  Future<MessageDelivery> send(String sender, String conversationId, String body, boolean automatic) {
    String lane = sender + '\n' + conversationId;
    InTurn previous = lanes.getOrDefault(lane, InTurn.IDLE);
    Promise<Void> appended = Promise.promise();
    Promise<Void> handedOn = Promise.promise();
    InTurn mine = new InTurn(appended.future(), handedOn.future());
    lanes.put(lane, mine);
    handedOn.future().onComplete(done -> lanes.remove(lane, mine));
    long now = clock.millis();
    return conversation(conversationId)
        .compose(conversation -> {
          if (!conversation.hasParty(sender)) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.FORBIDDEN, "conversation " + conversationId + " is not yours"));
          }
          String recipient = conversation.peerOf(sender);
          return judge(conversation, sender, recipient, body, automatic, now)
              .compose(verdict -> previous.appended().transform(ordered -> {
                Handling handling = handling(verdict, automatic);
                Future<MessageDelivery> delivered = messages.append(conversation, sender, body, now, handling)
                    .recover(failure -> lostByTheStore(failure, conversationId)
                        ? restore(conversationId).compose(back -> messages.append(conversation, sender, body, now, handling))
                        : Future.failedFuture(failure));
                appended.complete();
                return delivered.transform(outcome -> previous.handedOn().transform(inTurn -> {
                  if (outcome.failed()) {
                    return Future.failedFuture(outcome.cause());
                  }
                  MessageDelivery delivery = outcome.result();
                  if (delivery.wasRefused()) {
                    return refused(conversation, verdict, delivery);
                  }
                  seen(conversationId, delivery.event().seq());
                  Future<Void> handedOver = act(conversation, verdict, delivery);
                  if (!automatic) {
                    observe(conversation, sender, verdict, delivery, body, now);
                  }
                  // acked once the message left this node for its recipient's: a node killed right after the ack
                  // has still passed it on
                  return handedOver.transform(written -> Future.succeededFuture(delivery));
                }));
              }));
        })
        .onComplete(done -> {
          appended.tryComplete();
          handedOn.tryComplete();
        })
        // The sender's activations are stored before its ack, so the reply that follows is judged with them.
        .compose(delivery -> automatic ? Future.succeededFuture(delivery)
            : seenBySender(conversationId, sender, body, now).map(delivery));
  }

  private Future<Conversation> conversation(String id) {
    Conversation cached = known(id);
    return cached != null ? Future.succeededFuture(cached)
        : conversations.conversation(id).onSuccess(this::remember);
  }

  /**
   * The recipient's rules' verdict, and when none of them decides, the server's default rules' (unless the recipient
   * turned them off). Without rules of its own and with defaults that cannot decide on this text, the default verdict
   * at no cost: no state is read.
   */
  private Future<Verdict> judge(Conversation conversation, String sender, String recipient, String body,
                                boolean automatic, long now) {
    return rules.of(recipient).compose(document -> rules.defaults().compose(serverDefaults -> {
      RulesDocument defaults = document.useDefaults() ? serverDefaults : RulesDocument.EMPTY;
      if (document.rules().isEmpty() && !RulesEngine.mayDecide(defaults, body)) {
        return Future.succeededFuture(Verdict.DEFAULT);
      }
      IncomingMessage message = new IncomingMessage(conversation.seenBy(recipient, sender),
          conversation.isVirtual() && recipient.equals(conversation.source()), conversation.id(), body, automatic, now);
      return rulesStore.handlingState(recipient, conversation.id()).map(state -> {
        RecipientState recipientState = recipientState(state, conversation.id());
        Verdict own = RulesEngine.decide(document, message, recipientState);
        return own.rule() != null ? own : RulesEngine.decide(defaults, message, recipientState);
      });
    }));
  }

  private static RecipientState recipientState(HandlingState state, String conversation) {
    return new RecipientState(state.status().wire(), state.activity(), state.activeUntil(),
        state.lastClosingSent() == null ? Map.of() : Map.of(conversation, state.lastClosingSent()));
  }

  private static Handling handling(Verdict verdict, boolean automatic) {
    Handling.Disposition disposition = switch (verdict.disposition()) {
      case DELIVER -> Handling.Disposition.DELIVERED;
      case HOLD -> Handling.Disposition.HELD;
      case TRANSCRIPT -> Handling.Disposition.TRANSCRIPT;
      case DROP -> Handling.Disposition.DROPPED;
    };
    return new Handling(disposition, verdict.notifyLevel().wire(), automatic, verdict.rule());
  }

  /**
   * Hands the message on as its verdict says; completes once a delivered message was handed over to its recipient's
   * gateways (or one of them was gone).
   */
  private Future<Void> act(Conversation conversation, Verdict verdict, MessageDelivery delivery) {
    String recipient = delivery.recipient();
    List<String> gateways = delivery.gateways();
    Future<Void> handedOver = Future.succeededFuture();
    switch (verdict.disposition()) {
      case DELIVER -> {
        if (delivery.queued()) {
          metrics.messageQueued();
        } else {
          metrics.messageRelayed();
        }
        handedOver = UserEvents.send(vertx.eventBus(), gateways, recipient, delivery.event());
      }
      case HOLD -> {
        metrics.messageHeld();
        notice(gateways, recipient, new NoticeEvent("held", verdict.rule(), conversation.id(), delivery.held()));
        // The rules role releases it once its rule no longer holds it, and times when that may be.
        vertx.eventBus().send(Addresses.RULES_CHECK_HOLDS,
            new JsonObject().put("user", recipient).put("message", delivery.event().toJson()));
      }
      case TRANSCRIPT -> {
        metrics.messageDropped(SwitchboardMetrics.Drop.TRANSCRIPT_ONLY);
        notice(gateways, recipient, new NoticeEvent("transcript", verdict.rule(), conversation.id(), 1));
      }
      case DROP -> {
        metrics.messageDropped(SwitchboardMetrics.Drop.RULE);
        notice(gateways, recipient, new NoticeEvent("dropped", verdict.rule(), conversation.id(), 1));
      }
    }
    if (verdict.autoReply() != null) {
      send(recipient, conversation.id(), verdict.autoReply(), true)
          .onSuccess(replied -> notice(gateways, recipient,
              new NoticeEvent("auto-replied", verdict.rule(), conversation.id(), 1)))
          .onFailure(failure -> LogIds.log(() -> LOG.warn("automatic reply of {} in {} failed: {}", recipient,
              conversation.id(), failure.getMessage()), LogIds.USER, recipient, LogIds.CONVERSATION, conversation.id()));
    }
    return handedOver;
  }

  /**
   * What the adaptive manager learns from a message a user wrote: that its sender sent it and, when it reached the
   * recipient (delivered or held), that the recipient received it.
   */
  private void observe(Conversation conversation, String sender, Verdict verdict, MessageDelivery delivery,
                       String body, long now) {
    long seq = delivery.event().seq();
    boolean closing = ClosingClass.isClosing(body);
    observations.sent(sender, conversation.id(), seq, closing, now);
    if (verdict.disposition() == Verdict.Disposition.DELIVER || verdict.disposition() == Verdict.Disposition.HOLD) {
      String recipient = delivery.recipient();
      observations.received(recipient, conversation.id(), seq, conversation.seenBy(recipient, sender), closing, now);
    }
  }

  /**
   * The recipient's full held list or mailbox refused the message (docs/PROTOCOL.md §Bounds of waiting messages):
   * the sender gets {@code unavailable}; a recipient with full held messages is told at once how many were refused,
   * one with a full mailbox (it has no connection) with its mailbox on its next connection.
   */
  private Future<MessageDelivery> refused(Conversation conversation, Verdict verdict, MessageDelivery delivery) {
    counters.refusedMessage();
    boolean held = verdict.disposition() == Verdict.Disposition.HOLD;
    metrics.messageDropped(held ? SwitchboardMetrics.Drop.HELD_FULL : SwitchboardMetrics.Drop.MAILBOX_FULL);
    if (held) {
      notice(delivery.gateways(), delivery.recipient(),
          new NoticeEvent(NoticeEvent.HELD_FULL, verdict.rule(), conversation.id(), delivery.refused()));
    }
    return Future.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE, held
        ? "the recipient has as many messages on hold as it may have; this message was not sent"
        : "the recipient's mailbox is full while it has no connection; this message was not sent"));
  }

  private void notice(List<String> gateways, String user, NoticeEvent notice) {
    UserEvents.send(vertx.eventBus(), gateways, user, notice);
  }

  /**
   * The sender's own rules: a message it sent may activate rules, and a closing is remembered (for its own rules and
   * the server's defaults, which read it in {@code closingSentWithin}). Completes once both are stored; a failure is
   * only logged, since the message itself was stored.
   */
  private Future<Void> seenBySender(String conversation, String sender, String body, long now) {
    return rules.of(sender).compose(document -> {
      Future<Void> activated = document.rules().isEmpty() ? Future.succeededFuture()
          : rulesStore.activate(sender, Activation.byRule(RulesEngine.onSent(document, body, now)));
      Future<Void> closing = (!document.rules().isEmpty() || document.useDefaults()) && ClosingClass.isClosing(body)
          ? rulesStore.closingSent(sender, conversation, now) : Future.succeededFuture();
      return Future.all(activated, closing).<Void>mapEmpty();
    }).recover(failure -> {
      LOG.warn("the rules of {} could not record what it sent in {}: {}", sender, conversation, failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
