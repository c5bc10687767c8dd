package io.switchboard.router;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.AnswerRequest;
import io.switchboard.contract.ClosedEvent;
import io.switchboard.contract.CloseRequest;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.OpenRequest;
import io.switchboard.contract.OpenResult;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Replies;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Policy;
import io.switchboard.rules.Activation;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.RulesEngine;
import io.switchboard.store.Conversation;
import io.switchboard.store.RouteOutcome;
import io.switchboard.store.RouteRequest;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Opens and closes conversations (SPEC.md §3–4): asks the store to route, offers the conversation to the
 * selected user, re-routes on decline or timeout up to the policy's {@code maxOffers}, and on accept opens the
 * conversation. Also closes the conversations of a user whose connections stay gone for the disconnect grace.
 */
public final class RouterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticle.class);

  private final SwitchboardStore store;
  private final Clock clock;
  private final RouterOptions options;
  private final String answerAddress = Addresses.routerAnswer(UUID.randomUUID().toString());
  /** Offers waiting for an answer, by conversation id; one at a time per conversation. */
  private final Map<String, PendingOffer> pending = new HashMap<>();
  /** Users who went offline, with the timer that closes their conversations if they stay away. */
  private final Map<String, Long> departures = new HashMap<>();

  public RouterVerticle(SwitchboardStore store, Clock clock, RouterOptions options) {
    this.store = store;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.ROUTER_OPEN, msg -> {
          OpenAttempt attempt = new OpenAttempt(OpenRequest.fromJson(msg.body()), "c-" + UUID.randomUUID());
          Replies.reply(msg, attempt.result.future(), OpenResult::toJson);
          route(attempt);
        }).completion(),
        bus.<JsonObject>consumer(answerAddress, msg -> Replies.reply(msg, answer(AnswerRequest.fromJson(msg.body()))))
            .completion(),
        bus.<JsonObject>consumer(Addresses.ROUTER_CLOSE, msg -> {
          CloseRequest request = CloseRequest.fromJson(msg.body());
          Replies.reply(msg, close(request.conversation(), request.user(), "closed"));
        }).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_CHANGED, msg -> onPresence(PresenceChange.fromJson(msg.body())))
            .completion(),
        bus.<JsonObject>consumer(Addresses.ROUTER_NODE_LOST, msg -> {
          String user = msg.body().getString("user");
          cancelDeparture(user);
          closeAllOf(user);
        }).completion());
  }

  /** One open request, across the offers it makes. */
  private static final class OpenAttempt {
    final OpenRequest request;
    final String conversation;
    final Promise<OpenResult> result = Promise.promise();
    final Set<String> tried = new HashSet<>();
    boolean anyTimedOut;

    OpenAttempt(OpenRequest request, String conversation) {
      this.request = request;
      this.conversation = conversation;
    }
  }

  private record PendingOffer(OpenAttempt attempt, String user, boolean virtual, Policy policy, long timer) {
  }

  private void route(OpenAttempt attempt) {
    OpenRequest request = attempt.request;
    if (request.source().equals(request.to())) {
      attempt.result.fail(new SwitchboardException(ErrorCode.FORBIDDEN, "a user cannot open a conversation with itself"));
      return;
    }
    JsonObject context = request.context();
    Geo geo = Geo.fromJson(context.getValue("geo"));
    RouteRequest routeRequest = new RouteRequest(attempt.conversation, request.source(), request.to(), geo,
        context.getJsonObject("attributes"), attempt.tried, clock.millis());
    store.route(routeRequest)
        .onSuccess(outcome -> onRouted(attempt, outcome))
        .onFailure(attempt.result::tryFail);
  }

  private void onRouted(OpenAttempt attempt, RouteOutcome outcome) {
    String to = attempt.request.to();
    switch (outcome.kind()) {
      case NOT_FOUND -> attempt.result.fail(new SwitchboardException(ErrorCode.NOT_FOUND, "no user or virtual user " + to));
      case UNAVAILABLE -> attempt.result.fail(
          new SwitchboardException(ErrorCode.UNAVAILABLE, to + " is " + outcome.status().wire()));
      case COMMON_USER -> {
        if (outcome.status() == Status.OFFLINE) {
          attempt.result.fail(new SwitchboardException(ErrorCode.UNAVAILABLE, to + " is offline"));
        } else {
          offer(attempt, to, false, null, options.commonOfferTimeout());
        }
      }
      case ROUTED -> {
        if (outcome.selected() != null) {
          offer(attempt, outcome.selected(), true, outcome.policy(), outcome.policy().offerTimeout());
        } else if (attempt.tried.isEmpty()) {
          attempt.result.fail(new SwitchboardException(ErrorCode.UNAVAILABLE, "no member of " + to + " can take a conversation now"));
        } else {
          giveUp(attempt);
        }
      }
    }
  }

  private void offer(OpenAttempt attempt, String user, boolean virtual, Policy policy, Duration timeout) {
    long expires = clock.millis() + timeout.toMillis();
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      PendingOffer offer = pending.get(attempt.conversation);
      if (offer != null && offer.timer() == id) {
        pending.remove(attempt.conversation);
        attempt.anyTimedOut = true;
        refused(offer);
      }
    });
    pending.put(attempt.conversation, new PendingOffer(attempt, user, virtual, policy, timer));
    vertx.eventBus().publish(Addresses.user(user),
        new OfferEvent(attempt.conversation, attempt.request.source(), attempt.request.to(), expires, answerAddress).toJson());
  }

  private Future<Void> answer(AnswerRequest answer) {
    PendingOffer offer = pending.get(answer.conversation());
    if (offer == null || !offer.user().equals(answer.user())) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.GONE, "the offer of " + answer.conversation() + " is gone"));
    }
    pending.remove(answer.conversation());
    vertx.cancelTimer(offer.timer());
    if (!answer.accept()) {
      refused(offer);
      return Future.succeededFuture();
    }
    OpenAttempt attempt = offer.attempt();
    boolean reveal = offer.virtual() && offer.policy().revealAgent();
    Conversation conversation = new Conversation(attempt.conversation, attempt.request.source(), attempt.request.to(),
        offer.user(), reveal, clock.millis());
    return store.open(conversation)
        .onSuccess(opened -> attempt.result.complete(
            new OpenResult(conversation.id(), conversation.destination(), reveal ? offer.user() : null)))
        .onFailure(failure -> {
          if (offer.virtual()) {
            store.release(attempt.request.to(), offer.user());
          }
          attempt.result.tryFail(failure);
        });
  }

  /** A declined or unanswered offer: give back its load and try the next member while the policy allows. */
  private void refused(PendingOffer offer) {
    OpenAttempt attempt = offer.attempt();
    attempt.tried.add(offer.user());
    if (!offer.virtual()) {
      giveUp(attempt);
      return;
    }
    store.release(attempt.request.to(), offer.user()).onComplete(released -> {
      if (attempt.tried.size() < offer.policy().maxOffers()) {
        route(attempt);
      } else {
        giveUp(attempt);
      }
    });
  }

  private void giveUp(OpenAttempt attempt) {
    String to = attempt.request.to();
    attempt.result.tryFail(attempt.anyTimedOut
        ? new SwitchboardException(ErrorCode.TIMEOUT, "nobody at " + to + " accepted in time")
        : new SwitchboardException(ErrorCode.UNAVAILABLE, to + " declined the conversation"));
  }

  private Future<Void> close(String id, String user, String reason) {
    return store.close(id, user).map(conversation -> {
      vertx.eventBus().publish(Addresses.user(conversation.source()),
          new ClosedEvent(id, conversation.seenBy(conversation.source(), user), reason).toJson());
      vertx.eventBus().publish(Addresses.user(conversation.agent()), new ClosedEvent(id, user, reason).toJson());
      List.of(conversation.source(), conversation.agent()).forEach(this::activateOnClosed);
      return null;
    });
  }

  /** A closed conversation may activate handling rules of either party (SPEC.md §5). */
  private void activateOnClosed(String party) {
    store.rules(party).onSuccess(json -> {
      if (json != null) {
        List<Activation> activations = RulesEngine.onClosed(RulesDocument.fromJson(json), clock.millis());
        store.activate(party, Activation.byRule(activations));
      }
    });
  }

  /**
   * A user whose last connection ended keeps its conversations for the disconnect grace, so a reconnect
   * carries on; after that they are closed and their load released (SPEC.md §3 step 6).
   */
  private void onPresence(PresenceChange change) {
    if (change.virtual()) {
      return;
    }
    cancelDeparture(change.user());
    if (Status.OFFLINE.wire().equals(change.status())) {
      departures.put(change.user(), vertx.setTimer(options.disconnectGrace().toMillis(), id -> {
        departures.remove(change.user());
        closeAllOf(change.user());
      }));
    }
  }

  private void cancelDeparture(String user) {
    Long timer = departures.remove(user);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void closeAllOf(String user) {
    store.presence(List.of(user))
        .compose(presence -> Status.OFFLINE.wire().equals(presence.get(0).status())
            ? store.conversationsOf(user) : Future.succeededFuture(List.<Conversation>of()))
        .onSuccess(conversations -> conversations.forEach(conversation ->
            // Another router node may close it first; then this one gets gone, which is fine.
            close(conversation.id(), user, "disconnected")))
        .onFailure(failure -> LOG.warn("could not close the conversations of departed user {}", user, failure));
  }
}
