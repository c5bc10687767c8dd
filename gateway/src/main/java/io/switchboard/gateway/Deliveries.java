package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.rules.Activation;
import io.switchboard.rules.ClosingClass;
import io.switchboard.rules.IncomingMessage;
import io.switchboard.rules.RecipientState;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.RulesEngine;
import io.switchboard.rules.Verdict;
import io.switchboard.store.Conversation;
import io.switchboard.store.Handling;
import io.switchboard.store.HandlingState;
import io.switchboard.store.MessageDelivery;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a message to its recipient (SPEC.md §4–5): the recipient's handling rules decide, on the node that
 * receives the message, whether it is delivered (and how loudly), held, kept for the transcript only or
 * dropped, and whether an automatic reply goes back; the recipient gets a notice of anything but a delivery.
 * The sender's own rules see what it sent (activations, closings).
 */
final class Deliveries {

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  private static final int MAX_CONVERSATIONS = 100_000;

  private final Vertx vertx;
  private final SwitchboardStore store;
  private final RulesCache rules;
  private final Clock clock;
  /** Parties of conversations seen lately: a conversation's parties never change, so they are read once. */
  private final Map<String, Conversation> conversations = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
      return size() > MAX_CONVERSATIONS;
    }
  };

  Deliveries(Vertx vertx, SwitchboardStore store, RulesCache rules, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.rules = rules;
    this.clock = clock;
  }

  /** Numbers and hands on a message of {@code sender}; fails like the store's append. */
  Future<MessageDelivery> send(String sender, String conversationId, String body, boolean automatic) {
    return conversation(conversationId).compose(conversation -> {
      if (!conversation.hasParty(sender)) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.FORBIDDEN, "conversation " + conversationId + " is not yours"));
      }
      String recipient = conversation.peerOf(sender);
      long now = clock.millis();
      return judge(conversation, sender, recipient, body, automatic, now)
          .compose(verdict -> store.append(conversationId, sender, body, now, handling(verdict, automatic))
              .onSuccess(delivery -> act(conversation, recipient, verdict, delivery, now)))
          .onSuccess(delivery -> {
            if (!automatic) {
              seenBySender(conversationId, sender, body, now);
            }
          });
    });
  }

  private Future<Conversation> conversation(String id) {
    Conversation known = conversations.get(id);
    return known != null ? Future.succeededFuture(known)
        : store.conversation(id).onSuccess(found -> conversations.put(id, found));
  }

  /** The recipient's rules' verdict; without rules, the default, at no cost. */
  private Future<Verdict> judge(Conversation conversation, String sender, String recipient, String body,
                                boolean automatic, long now) {
    return rules.of(recipient).compose(document -> {
      if (document.rules().isEmpty()) {
        return Future.succeededFuture(Verdict.DEFAULT);
      }
      return store.handlingState(recipient, conversation.id()).map(state -> RulesEngine.decide(document,
          new IncomingMessage(conversation.seenBy(recipient, sender), conversation.isVirtual() && recipient.equals(conversation.source()),
              conversation.id(), body, automatic, now),
          recipientState(state, conversation.id())));
    });
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
    return new Handling(disposition, verdict.notifyLevel().wire(), automatic);
  }

  private void act(Conversation conversation, String recipient, Verdict verdict, MessageDelivery delivery, long now) {
    String target = Addresses.user(recipient);
    switch (verdict.disposition()) {
      case DELIVER -> {
        if (!delivery.queued()) {
          vertx.eventBus().publish(target, delivery.event().toJson());
        }
      }
      case HOLD -> notice(recipient, new NoticeEvent("held", verdict.rule(), conversation.id(), delivery.held()));
      case TRANSCRIPT -> notice(recipient, new NoticeEvent("transcript", verdict.rule(), conversation.id(), 1));
      case DROP -> notice(recipient, new NoticeEvent("dropped", verdict.rule(), conversation.id(), 1));
    }
    if (verdict.autoReply() != null) {
      send(recipient, conversation.id(), verdict.autoReply(), true)
          .onSuccess(replied -> notice(recipient, new NoticeEvent("auto-replied", verdict.rule(), conversation.id(), 1)))
          .onFailure(failure -> LOG.warn("automatic reply of {} in {} failed: {}", recipient, conversation.id(),
              failure.getMessage()));
    }
  }

  private void notice(String user, NoticeEvent notice) {
    vertx.eventBus().publish(Addresses.user(user), notice.toJson());
  }

  /** The sender's own rules: a message it sent may activate rules, and a closing is remembered. */
  private void seenBySender(String conversation, String sender, String body, long now) {
    rules.of(sender).onSuccess(document -> {
      if (document.rules().isEmpty()) {
        return;
      }
      List<Activation> activations = RulesEngine.onSent(document, body, now);
      store.activate(sender, Activation.byRule(activations));
      if (ClosingClass.isClosing(body)) {
        store.closingSent(sender, conversation, now);
      }
    });
  }
}
