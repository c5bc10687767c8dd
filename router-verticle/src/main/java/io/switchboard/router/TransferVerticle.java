package io.switchboard.router;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.AnswerRequest;
import io.switchboard.contract.ClosedEvent;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.OfferWithdrawnEvent;
import io.switchboard.contract.OpenAccepted;
import io.switchboard.contract.OpenOutcome;
import io.switchboard.contract.OpenResult;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Replies;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.TransferRequest;
import io.switchboard.contract.TransferredEvent;
import io.switchboard.contract.UserEvents;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.directory.Hours;
import io.switchboard.directory.Policy;
import io.switchboard.directory.User;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.Reservation;
import io.switchboard.store.RoutingState;
import io.switchboard.store.TransferredConversation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Hands open conversations on (docs/PROTOCOL.md §Transfer). The agent of a conversation names a user, who is offered
 * it directly, or a virtual user, whose own policy chain selects one of its members (never the agent handing it on).
 * The new member is reserved like for an open and offered the conversation once, with who handed it on and the note.
 * On accept the store hands it over in one step that checks the agent is still the one handing it on: same id and
 * {@code seq} counter, loads and history moved; the source is told {@code transferred}, the agent that handed it on
 * gets {@code ok} and {@code closed} with reason {@code transferred}. A decline, a timeout or a member that leaves gives
 * the reservation back and the agent keeps the conversation ({@code unavailable}).
 */
public final class TransferVerticle extends VerticleBase {

  /** The trace step that names the agent that handed a conversation on, in the decisions of its new destination. */
  public static final String TRANSFER_STEP = "transfer";

  private static final Logger LOG = LoggerFactory.getLogger(TransferVerticle.class);
  /** Statuses in which a user named directly can be offered a conversation: any but offline, as for an open. */
  private static final Set<Status> CONNECTED = Set.copyOf(EnumSet.of(Status.ONLINE, Status.BUSY, Status.AWAY));

  private final ConversationStore conversations;
  private final DirectoryStore directory;
  private final Clock clock;
  private final RouterOptions options;
  private final String answerAddress = Addresses.routerAnswer(UUID.randomUUID().toString());
  /** Conversations with a transfer under way here, from its request to its end: one at a time per conversation. */
  private final Set<String> transferring = new HashSet<>();
  /** Offers waiting for an answer, by conversation. */
  private final Map<String, PendingTransfer> pending = new HashMap<>();

  public TransferVerticle(ConversationStore conversations, DirectoryStore directory, Clock clock, RouterOptions options) {
    this.conversations = conversations;
    this.directory = directory;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<TransferRequest>consumer(Addresses.ROUTER_TRANSFER, msg -> {
          msg.reply(new OpenAccepted(options.node()));
          transfer(msg.body());
        }).completion(),
        bus.<AnswerRequest>consumer(answerAddress, msg -> Replies.reply(msg, answer(msg.body()),
            moved -> moved == null ? new JsonObject() : moved.toJson())).completion(),
        bus.<PresenceChange>consumer(Addresses.PRESENCE_CHANGED, msg -> onPresence(msg.body())).completion()));
  }

  /** The conversation as it will be once {@code member} took it, and how long the member has to accept. */
  private record Target(Conversation before, Conversation moved, Set<Status> available, Duration offerTimeout) {
    String member() {
      return moved.agent();
    }
  }

  /** An offer of a transfer waiting for the member's answer. */
  private record PendingTransfer(TransferRequest request, Target target, Reservation reservation,
                                 List<String> gateways, long timer) {
    String member() {
      return target.member();
    }
  }

  private void transfer(TransferRequest request) {
    if (!transferring.add(request.conversation())) {
      sendOutcome(request, OpenOutcome.failed(request.request(), new SwitchboardException(ErrorCode.RATE_LIMITED,
          "a transfer of " + request.conversation() + " is already waiting for an answer")));
      return;
    }
    conversations.conversation(request.conversation())
        .compose(conversation -> checked(request, conversation))
        .compose(conversation -> route(request, conversation, Set.of(), List.of()))
        .onFailure(failure -> end(request, failure));
  }

  /** The conversation, if {@code request.user()} may hand it to {@code request.to()}. */
  private static Future<Conversation> checked(TransferRequest request, Conversation conversation) {
    String user = request.user();
    String id = conversation.id();
    if (!conversation.hasParty(user)) {
      return forbidden("conversation " + id + " is not yours");
    }
    if (!conversation.agent().equals(user)) {
      return forbidden("only the agent of conversation " + id + " can transfer it, not its source");
    }
    if (request.to().equals(user)) {
      return forbidden("a conversation cannot be transferred to yourself");
    }
    if (request.to().equals(conversation.source())) {
      return forbidden(request.to() + " is the source of conversation " + id);
    }
    return Future.succeededFuture(conversation);
  }

  private static <T> Future<T> forbidden(String message) {
    return Future.failedFuture(new SwitchboardException(ErrorCode.FORBIDDEN, message));
  }

  /**
   * Selects the new member on fresh state and reserves it; a reservation refused to a member a chain selected selects
   * again without it, at most {@link RouterVerticle#RESELECTIONS} times.
   */
  private Future<Void> route(TransferRequest request, Conversation conversation, Set<String> refused,
                             List<TraceEntry> refusals) {
    long now = clock.millis();
    Future<RoutingState> state = conversations.routingState(request.to(), conversation.source(), now);
    Future<User> source = directory.user(conversation.source());
    return Future.all(state, source).compose(both -> {
      RoutingState destination = state.result();
      return switch (destination.kind()) {
        case NOT_FOUND -> Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND,
            "no user or virtual user " + request.to()));
        case COMMON_USER -> reserve(request, new Target(conversation, toUser(conversation, request.to()), CONNECTED,
            options.commonOfferTimeout()), now, conversation.isVirtual()
            ? decision(request, conversation, conversation.destination(), request.to(), TRANSFER_STEP, List.of()) : null,
            refusal -> Future.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE, refusal)));
        case VIRTUAL_USER -> toVirtualUser(request, conversation, destination, source.result(), refused, refusals, now);
      };
    });
  }

  /** The conversation handed to a user named directly: a virtual user's stays the virtual user's. */
  private static Conversation toUser(Conversation conversation, String user) {
    return new Conversation(conversation.id(), conversation.source(),
        conversation.isVirtual() ? conversation.destination() : user, user, conversation.revealAgent(),
        conversation.openedAt());
  }

  private Future<Void> toVirtualUser(TransferRequest request, Conversation conversation, RoutingState state,
                                     User source, Set<String> refused, List<TraceEntry> refusals, long now) {
    String to = request.to();
    Policy policy = state.virtualUser().policy();
    Hours hours = policy.hours();
    if (hours != null && !hours.isOpen(clock.instant())) {
      // A transfer makes one offer now: it never waits for opening.
      return Future.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE, hours.closedMessage(to, clock.instant())));
    }
    if (!policy.isAvailable(state.status())) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE, to + " is " + state.status().wire()));
    }
    Set<String> excluded = new HashSet<>(refused);
    excluded.add(conversation.agent());
    Selection selection = PolicyChain.select(policy, new RoutingContext(conversation.source(),
        source == null ? null : source.geo(), source == null ? new JsonObject() : source.attributes(),
        state.history(), state.members(), excluded, state.lastRoundRobin(), now));
    List<TraceEntry> trace = new ArrayList<>(refusals);
    trace.addAll(selection.trace());
    if (selection.selected() == null) {
      record(decision(request, conversation, to, null, null, trace));
      return Future.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE,
          "no member of " + to + " can take the conversation now"));
    }
    String member = selection.selected();
    Target target = new Target(conversation, new Conversation(conversation.id(), conversation.source(), to, member,
        policy.revealAgent(), conversation.openedAt()), policy.availableStatuses(), policy.offerTimeout());
    return reserve(request, target, now, decision(request, conversation, to, member, selection.step(), trace), refusal -> {
      Set<String> again = new HashSet<>(refused);
      again.add(member);
      List<TraceEntry> why = new ArrayList<>(refusals);
      why.add(new TraceEntry("reserve", TraceEntry.PASSED, refusal));
      if (again.size() > RouterVerticle.RESELECTIONS) {
        record(decision(request, conversation, to, null, null, why));
        return Future.failedFuture(new SwitchboardException(ErrorCode.UNAVAILABLE,
            "the members of " + to + " were taken while this transfer was routed; try again"));
      }
      return route(request, conversation, again, why);
    });
  }

  /** The decision of a transfer: the chain's trace after an entry naming the agent that handed it on. */
  private RouteDecision decision(TransferRequest request, Conversation conversation, String destination,
                                 String selected, String step, List<TraceEntry> trace) {
    List<TraceEntry> steps = new ArrayList<>();
    steps.add(new TraceEntry(TRANSFER_STEP, selected != null && TRANSFER_STEP.equals(step) ? TraceEntry.SELECTED
        : TraceEntry.PASSED, request.user() + " transferred it to " + request.to()));
    steps.addAll(trace);
    return new RouteDecision(clock.millis(), request.conversation(), conversation.source(), destination, selected, step,
        steps);
  }

  private void record(RouteDecision decision) {
    LiveFeed.decision(vertx.eventBus(), decision);
    conversations.recordDecision(decision, null).onFailure(failure ->
        LOG.warn("could not record the transfer decision of {}: {}", decision.conversation(), failure.getMessage()));
  }

  /** Reserves the target and offers it the conversation; a refusal goes to {@code refused}. */
  private Future<Void> reserve(TransferRequest request, Target target, long now, RouteDecision decision,
                               Function<String, Future<Void>> refused) {
    Reservation reservation = new Reservation(target.member(), request.conversation(), target.available(),
        options.node(), options.memberOffersPerSecond(), now);
    return conversations.reserve(reservation).compose(reserved -> {
      if (!reserved.granted()) {
        return refused.apply(reserved.refusal());
      }
      if (decision != null) {
        record(decision);
      }
      offer(request, target, reservation, reserved.gateways());
      return Future.succeededFuture();
    });
  }

  private void offer(TransferRequest request, Target target, Reservation reservation, List<String> gateways) {
    Duration timeout = target.offerTimeout();
    long expires = clock.millis() + timeout.toMillis();
    String id = request.conversation();
    long timer = vertx.setTimer(timeout.toMillis(), fired -> {
      PendingTransfer offer = pending.get(id);
      if (offer != null && offer.timer() == fired) {
        pending.remove(id);
        withdraw(offer, offer.gateways(), OfferWithdrawnEvent.TIMEOUT);
        refused(offer, target.member() + " did not accept the transfer in time");
      }
    });
    pending.put(id, new PendingTransfer(request, target, reservation, gateways, timer));
    Conversation moved = target.moved();
    UserEvents.send(vertx.eventBus(), gateways, target.member(), new OfferEvent(id, moved.source(),
        moved.destination(), expires, answerAddress, options.node(), new OfferEvent.Transfer(request.user(), request.note())));
  }

  private void withdraw(PendingTransfer offer, List<String> gateways, String reason) {
    UserEvents.send(vertx.eventBus(), gateways, offer.member(),
        new OfferWithdrawnEvent(offer.request().conversation(), reason));
  }

  /** The member's answer; an accept gives the conversation as handed over (for the member's gateway), a decline null. */
  private Future<Conversation> answer(AnswerRequest answer) {
    PendingTransfer offer = pending.get(answer.conversation());
    if (offer == null || !offer.member().equals(answer.user())) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.GONE,
          "the transfer offer of " + answer.conversation() + " is gone"));
    }
    pending.remove(answer.conversation());
    vertx.cancelTimer(offer.timer());
    // The answering gateway tells its own other connections of the member; the other gateways are told here.
    withdraw(offer, offer.gateways().stream().filter(gateway -> !gateway.equals(answer.gateway())).toList(),
        OfferWithdrawnEvent.ANSWERED);
    if (!answer.accept()) {
      refused(offer, offer.member() + " declined the transfer");
      return Future.succeededFuture(null);
    }
    TransferRequest request = offer.request();
    return conversations.transfer(offer.target().moved(), request.user(), options.node(), clock.millis())
        .map(transferred -> {
          handedOver(request, transferred);
          freed(request.user());
          LiveFeed.transferred(vertx.eventBus(), offer.target().before(), transferred.conversation(),
              request.note(), clock.millis());
          return transferred.conversation();
        })
        .onFailure(failure -> {
          conversations.cancel(offer.reservation());
          end(request, failure);
        });
  }

  /** Tells everyone: the agent that handed it on gets ok then closed, the source transferred. */
  private void handedOver(TransferRequest request, TransferredConversation transferred) {
    Conversation moved = transferred.conversation();
    String agent = moved.isVirtual() && !moved.revealAgent() ? null : moved.agent();
    transferring.remove(request.conversation());
    sendOutcome(request, OpenOutcome.opened(request.request(),
        new OpenResult(moved.id(), moved.destination(), agent), moved.toJson()));
    EventBus bus = vertx.eventBus();
    UserEvents.send(bus, transferred.fromGateways(), request.user(),
        new ClosedEvent(moved.id(), request.user(), ClosedEvent.TRANSFERRED));
    UserEvents.send(bus, transferred.sourceGateways(), moved.source(),
        new TransferredEvent(moved.id(), moved.destination(), agent, moved.toJson()));
  }

  /** A declined or unanswered offer: its reservation is given back, and the agent keeps the conversation. */
  private void refused(PendingTransfer offer, String why) {
    conversations.cancel(offer.reservation()).onComplete(given -> freed(offer.member()));
    end(offer.request(), new SwitchboardException(ErrorCode.UNAVAILABLE, why + "; the conversation stays yours"));
  }

  /** A transfer that did not happen: the agent that asked is told why. */
  private void end(TransferRequest request, Throwable failure) {
    transferring.remove(request.conversation());
    sendOutcome(request, OpenOutcome.failed(request.request(), SwitchboardException.of(failure)));
  }

  /** {@code member} has room again: the router on this node serves the queues it serves. */
  private void freed(String member) {
    vertx.eventBus().send(Addresses.ROUTER_FREED, new JsonObject().put("member", member),
        new DeliveryOptions().setLocalOnly(true));
  }

  private void sendOutcome(TransferRequest request, OpenOutcome outcome) {
    vertx.eventBus().send(Addresses.gateway(request.gateway()), outcome);
  }

  /** A member that left does not answer: its transfer offers are declined at once. */
  private void onPresence(PresenceChange change) {
    if (change.virtual() || !Status.OFFLINE.wire().equals(change.status())) {
      return;
    }
    for (PendingTransfer offer : List.copyOf(pending.values())) {
      if (offer.member().equals(change.user())) {
        pending.remove(offer.request().conversation());
        vertx.cancelTimer(offer.timer());
        refused(offer, offer.member() + " went offline");
      }
    }
  }
}
