package io.switchboard.rulesverticle;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.UserEvent;
import io.switchboard.contract.MessageEvent;
import io.switchboard.rules.Activation;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.RulesEngine;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.MessageStore;
import io.switchboard.store.PresenceStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * What users' handling rules do besides judging a message at {@code send}, which the gateway does (docs/RULES.md):
 * the rules that a status change or a closed conversation activates, and the release of held messages once the rule
 * that held each would no longer hold it. Presence sends it each user's status changes, the router each closed
 * conversation, the gateway each held message; a changed rules document (published) is checked here too. Runs
 * with the presence role.
 */
public final class RulesVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RulesVerticle.class);

  private final RulesStore rules;
  private final MessageStore messages;
  private final PresenceStore presence;
  private final DirectoryStore directory;
  private final Clock clock;
  private HeldReleases holds;

  public RulesVerticle(RulesStore rules, MessageStore messages, PresenceStore presence, DirectoryStore directory,
                       Clock clock) {
    this.rules = rules;
    this.messages = messages;
    this.presence = presence;
    this.directory = directory;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    holds = new HeldReleases(vertx, rules, messages, presence, directory, clock);
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<PresenceChange>consumer(Addresses.RULES_STATUS, msg -> statusChanged(msg.body())).completion(),
        bus.<JsonObject>consumer(Addresses.RULES_CLOSED, msg -> msg.body().getJsonArray("users").stream()
            .map(String.class::cast).forEach(this::closed)).completion(),
        bus.<JsonObject>consumer(Addresses.RULES_CHECK_HOLDS, msg -> {
          JsonObject message = msg.body().getJsonObject("message");
          String user = msg.body().getString("user");
          if (message == null) {
            holds.check(user);
          } else {
            holds.held(user, (MessageEvent) UserEvent.fromJson(message));
          }
        }).completion(),
        bus.<JsonObject>consumer(Addresses.RULES_CHANGED, msg -> {
          // A change of the server's defaults is checked at each user's next status change or timer.
          if (msg.body().getString("user") != null) {
            holds.check(msg.body().getString("user"));
          }
        }).completion());
  }

  /** The rules the new status activates, then whether the user's held messages are still held. */
  private void statusChanged(PresenceChange change) {
    activate(change.user(), document -> RulesEngine.onStatus(document, change.status(), clock.millis()))
        .onComplete(activated -> holds.check(change.user()));
  }

  private void closed(String party) {
    activate(party, document -> RulesEngine.onClosed(document, clock.millis()));
  }

  private Future<Void> activate(String user, Function<RulesDocument, List<Activation>> trigger) {
    return rules.rules(user)
        .compose(json -> json == null ? Future.<Void>succeededFuture()
            : rules.activate(user, Activation.byRule(trigger.apply(RulesDocument.fromJson(json)))))
        .onFailure(failure -> LOG.warn("could not record the activations of {}: {}", user, failure.getMessage()));
  }
}
