package io.switchboard.rulesverticle;

import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.contract.UserEvents;
import io.switchboard.directory.VirtualUser;
import io.switchboard.rules.IncomingMessage;
import io.switchboard.rules.RecipientState;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.RulesEngine;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.HandlingState;
import io.switchboard.store.MessageStore;
import io.switchboard.store.PresenceStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Releases held messages once the rule that held each would no longer hold it ({@link RulesEngine#stillHolds}): its
 * status or activity condition no longer true, its time window over, its activation expired, its {@code until}
 * reached, or the rule changed. Checked on every status or activity change and rules change, and at the next instant
 * a hold may end by itself ({@link RulesEngine#nextHoldChange}), by one timer per user with held messages. Released
 * messages go to the user in order, followed by one {@code released} notice per rule with its count. Nothing is
 * released while the user is offline: its next status change checks again.
 */
final class HeldReleases {

  private static final Logger LOG = LoggerFactory.getLogger(HeldReleases.class);

  private final Vertx vertx;
  private final SwitchboardMetrics metrics;
  private final RulesStore rules;
  private final MessageStore messages;
  private final PresenceStore presence;
  private final DirectoryStore directory;
  private final Clock clock;
  /** Per user: the check under way, so that checks of one user run one after the other and release in order. */
  private final Map<String, Future<Void>> checking = new HashMap<>();
  /** Per user whose newly held message is being timed: the latest message held meanwhile, or null. */
  private final Map<String, MessageEvent> timing = new HashMap<>();
  /** Per user with held messages that may end by themselves: the timer of the next check and when it fires. */
  private final Map<String, Timer> timers = new HashMap<>();

  private record Timer(long id, long at) {
  }

  HeldReleases(Vertx vertx, RulesStore rules, MessageStore messages, PresenceStore presence,
               DirectoryStore directory, Clock clock) {
    this.vertx = vertx;
    this.metrics = SwitchboardMetrics.of(vertx);
    this.rules = rules;
    this.messages = messages;
    this.presence = presence;
    this.directory = directory;
    this.clock = clock;
  }

  /** Checks every message held for {@code user}, after the check under way for it, if any. */
  void check(String user) {
    Future<Void> previous = checking.getOrDefault(user, Future.succeededFuture());
    Future<Void> mine = previous.transform(done -> checkNow(user))
        .onFailure(failure -> LOG.warn("could not check the held messages of {}: {}", user, failure.getMessage()))
        .recover(failure -> Future.succeededFuture());
    checking.put(user, mine);
    mine.onComplete(done -> checking.remove(user, mine));
  }

  /**
   * A message was just held for {@code user}: when its hold may end is timed; should the user's state have moved
   * on while it was judged (the status changed meanwhile), every held message is checked. While one is timed, only
   * the latest of the messages held meanwhile is kept and timed next: a burst costs two evaluations, not one per
   * message, and a later message's hold ends no sooner than an earlier one's by the same rule; the check at the
   * earlier end times the rest.
   */
  void held(String user, MessageEvent message) {
    if (timing.containsKey(user)) {
      timing.put(user, message);
      return;
    }
    timing.put(user, null);
    long now = clock.millis();
    rules.handlingState(user, message.conversation()).compose(state -> documents(state).compose(
        documents -> isVirtual(message.from()).map(virtual -> {
      RulesDocument document = documents.holding(message.rule());
      RecipientState recipient = recipientState(state);
      if (!RulesEngine.stillHolds(document, message.rule(), incoming(message, virtual, now), recipient,
          message.ts())) {
        check(user);
      } else {
        schedule(user, RulesEngine.nextHoldChange(document, message.rule(), message.ts(), recipient, now), true);
      }
      return null;
    }))).onFailure(failure -> LOG.warn("could not time the hold of a message for {}: {}", user, failure.getMessage()))
        .onComplete(done -> {
          MessageEvent next = timing.remove(user);
          if (next != null) {
            held(user, next);
          }
        });
  }

  private Future<Void> checkNow(String user) {
    long now = clock.millis();
    return rules.handlingState(user, "").compose(state -> {
      if (state.status() == Status.OFFLINE) {
        cancelTimer(user);
        return Future.succeededFuture();
      }
      return documents(state).compose(documents -> messages.heldMessages(user).compose(held -> virtualSenders(held)
          .compose(virtual -> {
        RecipientState recipient = recipientState(state);
        List<MessageEvent> release = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (MessageEvent message : held) {
          RulesDocument document = documents.holding(message.rule());
          if (RulesEngine.stillHolds(document, message.rule(),
              incoming(message, virtual.contains(message.from()), now), recipient, message.ts())) {
            next = Math.min(next, RulesEngine.nextHoldChange(document, message.rule(), message.ts(), recipient, now));
          } else {
            release.add(message);
          }
        }
        schedule(user, next, false);
        return release.isEmpty() ? Future.succeededFuture() : messages.releaseHeld(user, release)
            .compose(released -> deliver(user, released));
      })));
    });
  }

  private Future<Void> deliver(String user, List<MessageEvent> released) {
    if (released.isEmpty()) {
      return Future.succeededFuture();
    }
    metrics.messagesReleased(released.size());
    return presence.gatewaysOf(List.of(user)).map(gateways -> {
      List<String> to = gateways.get(user);
      Map<String, Integer> byRule = new LinkedHashMap<>();
      for (MessageEvent message : released) {
        UserEvents.send(vertx.eventBus(), to, user, message);
        byRule.merge(String.valueOf(message.rule()), 1, Integer::sum);
      }
      byRule.forEach((rule, count) -> UserEvents.send(vertx.eventBus(), to, user,
          new NoticeEvent("released", "null".equals(rule) ? null : rule, null, count)));
      return null;
    });
  }

  /**
   * Sets the user's timer to {@code at} (none for {@link Long#MAX_VALUE}); {@code onlyEarlier} keeps an earlier timer
   * already set, as a single message's hold says nothing about the others'.
   */
  private void schedule(String user, long at, boolean onlyEarlier) {
    Timer current = timers.get(user);
    if (onlyEarlier && current != null && current.at() <= at) {
      return;
    }
    cancelTimer(user);
    if (at == Long.MAX_VALUE) {
      return;
    }
    long id = vertx.setTimer(Math.max(1, at - clock.millis()), fired -> {
      timers.remove(user);
      check(user);
    });
    timers.put(user, new Timer(id, at));
  }

  private void cancelTimer(String user) {
    Timer timer = timers.remove(user);
    if (timer != null) {
      vertx.cancelTimer(timer.id());
    }
  }

  /** The user's own rules and the server's defaults that apply to it. */
  private record Documents(RulesDocument own, RulesDocument defaults) {
    /** The document of the rule that held a message: the user's own, else the defaults (a rule gone from both: own). */
    RulesDocument holding(String rule) {
      return rule != null && own.rule(rule) == null && defaults.rule(rule) != null ? defaults : own;
    }
  }

  private Future<Documents> documents(HandlingState state) {
    RulesDocument own = state.rules() == null ? RulesDocument.EMPTY : RulesDocument.fromJson(state.rules());
    if (!own.useDefaults()) {
      return Future.succeededFuture(new Documents(own, RulesDocument.EMPTY));
    }
    return rules.defaultRules().map(json -> new Documents(own,
        json == null ? RulesDocument.SHIPPED_DEFAULTS : RulesDocument.defaultsFromJson(json)));
  }

  /** The user's state as its rules read it; a check of all held messages knows no one conversation's closings. */
  private static RecipientState recipientState(HandlingState state) {
    return new RecipientState(state.status().wire(), state.activity(), state.activeUntil(), Map.of());
  }

  /** A held message as its rule reads it now: the time windows and activations at {@code now}. */
  private static IncomingMessage incoming(MessageEvent message, boolean fromVirtual, long now) {
    return new IncomingMessage(message.from(), fromVirtual, message.conversation(), message.body(), message.auto(),
        now);
  }

  private Future<Boolean> isVirtual(String user) {
    return directory.virtualUser(user).map(virtualUser -> virtualUser != null);
  }

  /** Which senders of these messages are virtual users. */
  private Future<Set<String>> virtualSenders(List<MessageEvent> held) {
    List<String> senders = held.stream().map(MessageEvent::from).distinct().toList();
    return Future.all(senders.stream().map(directory::virtualUser).toList()).map(all -> {
      List<VirtualUser> found = all.list();
      return found.stream().filter(Objects::nonNull).map(VirtualUser::id).collect(Collectors.toSet());
    });
  }
}
