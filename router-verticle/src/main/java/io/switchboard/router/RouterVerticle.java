package io.switchboard.router;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.AnswerRequest;
import io.switchboard.contract.CancelOpen;
import io.switchboard.contract.ClosedEvent;
import io.switchboard.contract.CloseRequest;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.LogIds;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.OfferWithdrawnEvent;
import io.switchboard.contract.OpenAccepted;
import io.switchboard.contract.OpenOutcome;
import io.switchboard.contract.OpenProgress;
import io.switchboard.contract.OpenRequest;
import io.switchboard.contract.OpenResult;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Replies;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.contract.SwitchboardMetrics.OfferEnd;
import io.switchboard.contract.UserEvents;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Hours;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.QueuePolicy;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.MemberState;
import io.switchboard.store.PresenceStore;
import io.switchboard.store.QueueChange;
import io.switchboard.store.QueueEntry;
import io.switchboard.store.QueueStore;
import io.switchboard.store.Reservation;
import io.switchboard.store.RoutingState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Opens and closes conversations (docs/POLICY.md). For an open it reads the destination's routing state, runs the
 * policy chain on it and reserves the selected member in one atomic store step that checks again; when the state
 * moved meanwhile and the reservation is refused, it selects again on fresh state, at most {@link #RESELECTIONS}
 * times. It offers the conversation to the reserved member, routes again on decline or timeout up to the policy's
 * {@code maxOffers}, and on accept opens the conversation. An open that finds nobody waits in the virtual user's
 * queue when its policy has one (docs/POLICY.md § Queue), and so does a new open that finds others waiting there: the
 * queue is in the store, and whichever router sees a member free up serves its head through the same chain. It also closes the conversations of a user whose
 * connections stay gone for the disconnect grace, and gives back the reservations of nodes that died.
 */
public final class RouterVerticle extends VerticleBase {

  /** How many times one offer may select again after its reservation was refused. */
  public static final int RESELECTIONS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticle.class);
  /** Statuses in which a common user can be offered a conversation: any but offline. */
  private static final Set<Status> CONNECTED = Set.copyOf(EnumSet.of(Status.ONLINE, Status.BUSY, Status.AWAY));
  /** The trace entry of a reservation refused after the chain selected a member. */
  private static final String RESERVATION_STEP = "reserve";
  private static final String ROUND_ROBIN = new PolicyStep.RoundRobin().type();
  /** The trace entry and decision step of an open that waits in the queue. */
  static final String QUEUE_STEP = "queue";
  /** The source attribute that orders a queue (docs/POLICY.md § Queue), bounded so that any number is safe. */
  static final String PRIORITY_ATTRIBUTE = "priority";
  static final int MAX_PRIORITY = 1_000_000;
  /** The decision step and trace entry of an open carried over to another virtual user. */
  static final String OVERFLOW_STEP = "overflow";
  /** Most overflows one open makes: policies are checked for cycles when set, this bounds a race with a change. */
  static final int MAX_OVERFLOWS = 8;
  /** The decision step and trace entry of an open that came outside its virtual user's hours. */
  static final String HOURS_STEP = "hours";
  /** How often business hours are looked at to serve the queues of virtual users that just opened. */
  static final long HOURS_TICK_MILLIS = 1000;
  /** How many opens at the front of a queue a freed member is looked at for, head first. */
  static final int LOOK_AHEAD = 10;

  private final ConversationStore conversations;
  private final PresenceStore presence;
  private final QueueStore queues;
  private final DirectoryStore directory;
  private final Clock clock;
  private final RouterOptions options;
  private final String answerAddress = Addresses.routerAnswer(UUID.randomUUID().toString());
  /** Offers waiting for an answer, by conversation id; one at a time per conversation. */
  private final Map<String, PendingOffer> pending = new HashMap<>();
  /** Open attempts in progress, by source, so that a source that leaves takes them with it. */
  private final Map<String, Set<OpenAttempt>> attemptsBySource = new HashMap<>();
  /** Users who went offline, with the timer that closes their conversations if they stay away. */
  private final Map<String, Long> departures = new HashMap<>();
  /** Open attempts of this router by {@link CancelOpen#key}, for a cancel. */
  private final Map<String, OpenAttempt> attemptsByKey = new HashMap<>();
  /** The virtual users with a queue, as this router last saw them: whose members freeing up it serves. */
  private final Map<String, VirtualUser> queued = new HashMap<>();
  /** How many conversations the available members of a queued virtual user took at once when last seen. */
  private final Map<String, Integer> servers = new HashMap<>();
  /** Queues this router is serving now, and those to look at again when it is done (one serving per queue). */
  private final Set<String> serving = new HashSet<>();
  private final Set<String> serveAgain = new HashSet<>();
  /** The queued virtual users with hours that were closed when last looked at. */
  private final Set<String> closed = new HashSet<>();
  private SwitchboardMetrics metrics;

  public RouterVerticle(ConversationStore conversations, PresenceStore presence, QueueStore queues,
                        DirectoryStore directory, Clock clock, RouterOptions options) {
    this.conversations = conversations;
    this.presence = presence;
    this.queues = queues;
    this.directory = directory;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    metrics = SwitchboardMetrics.of(vertx);
    EventBus bus = vertx.eventBus();
    vertx.setPeriodic(HOURS_TICK_MILLIS, id -> serveThoseThatOpened());
    return Future.all(List.of(
        bus.<OpenRequest>consumer(Addresses.ROUTER_OPEN, msg -> {
          OpenAttempt attempt = new OpenAttempt(msg.body(), "c-" + UUID.randomUUID());
          msg.reply(new OpenAccepted(options.node()));
          start(attempt);
        }).completion(),
        bus.<AnswerRequest>consumer(answerAddress, msg -> Replies.reply(msg, answer(msg.body()),
            opened -> opened == null ? new JsonObject() : opened.toJson())).completion(),
        bus.<CloseRequest>consumer(Addresses.ROUTER_CLOSE, msg -> {
          CloseRequest request = msg.body();
          Replies.reply(msg, close(request.conversation(), request.user(), known(request), ClosedEvent.CLOSED));
        }).completion(),
        bus.<JsonObject>localConsumer(Addresses.ROUTER_FREED,
            msg -> queuesServedBy(msg.body().getString("member")).forEach(this::serve)).completion(),
        bus.<PresenceChange>consumer(Addresses.PRESENCE_CHANGED, msg -> onPresence(msg.body()))
            .completion(),
        bus.<JsonObject>consumer(Addresses.NODE_EVICTED, msg -> {
          String node = msg.body().getString("node");
          // The heads its router was offering are back in their places before its reservations free their members.
          returnOffersOf(node).onComplete(returned -> releaseReservationsOf(node));
        }).completion(),
        bus.<CancelOpen>consumer(Addresses.routerCancel(options.node()), msg -> Replies.reply(msg, cancel(msg.body())))
            .completion(),
        bus.<CancelOpen>consumer(Addresses.ROUTER_CANCEL, msg -> Replies.reply(msg, cancel(msg.body())))
            .completion(),
        bus.<JsonObject>consumer(Addresses.DIRECTORY_CHANGED, msg -> {
          JsonObject virtualUser = msg.body().getJsonObject("virtualUser");
          if (virtualUser != null) {
            learn(VirtualUser.fromJson(virtualUser));
          }
        }).completion(),
        directory.snapshot().onSuccess(snapshot -> snapshot.virtualUsers().forEach(this::learn)).mapEmpty()));
  }

  /** One open request, across the offers it makes and its waits in the queue. */
  private static final class OpenAttempt {
    /** The request; its {@code to} changes when the open overflows to another virtual user. */
    OpenRequest request;
    final String conversation;
    /** Members offered this conversation so far. */
    final Set<String> offered = new HashSet<>();
    boolean anyTimedOut;
    boolean done;
    /** Its place in the queue once it waited there (kept when it comes back), else null. */
    QueueEntry entry;
    /** Whether it waits in the queue, as far as this router knows (another router may have taken it out). */
    boolean waiting;
    /** The timer of its deadline (or overflow) in the queue, or -1. */
    long waitTimer = -1;
    /** How many times it overflowed. */
    int overflows;

    OpenAttempt(OpenRequest request, String conversation) {
      this.request = request;
      this.conversation = conversation;
    }

    /** An attempt for an open another router queued, taken out of the queue here. */
    OpenAttempt(QueueEntry entry) {
      this(entry.request(), entry.conversation());
      this.entry = entry;
      offered.addAll(entry.offered());
    }

    String key() {
      return new CancelOpen(request.source(), request.to(), request.gateway(), request.request()).key();
    }

    String source() {
      return request.source();
    }

    String to() {
      return request.to();
    }
  }

  /** One selection and its reservations: members whose reservation was refused, and why, for the trace. */
  private record Round(Set<String> refused, List<TraceEntry> refusals) {
    static Round first() {
      return new Round(Set.of(), List.of());
    }

    /** The first round after an overflow, whose trace starts by saying where the open came from. */
    static Round overflowedFrom(String from) {
      return new Round(Set.of(), List.of(new TraceEntry(OVERFLOW_STEP, TraceEntry.PASSED, "overflowed from " + from)));
    }

    Round after(String member, String why) {
      Set<String> members = new HashSet<>(refused);
      members.add(member);
      List<TraceEntry> trace = new ArrayList<>(refusals);
      trace.add(new TraceEntry(RESERVATION_STEP, TraceEntry.PASSED, why));
      return new Round(members, trace);
    }
  }

  /** @param since {@link SwitchboardMetrics#now()} when the offer was made */
  private record PendingOffer(OpenAttempt attempt, Reservation reservation, List<String> gateways, boolean virtual,
                              Policy policy, long timer, long since) {
    String member() {
      return reservation.member();
    }
  }

  // --- opening

  private void start(OpenAttempt attempt) {
    if (attempt.source().equals(attempt.to())) {
      finish(attempt, new SwitchboardException(ErrorCode.FORBIDDEN, "a user cannot open a conversation with itself"));
      return;
    }
    track(attempt);
    long now = clock.millis();
    Future<Boolean> counted = conversations.startOpen(attempt.source(), attempt.to(), attempt.conversation,
        options.maxPendingOpens(), now, now + options.commonOfferTimeout().toMillis());
    Future<RoutingState> state = conversations.routingState(attempt.to(), attempt.source(), now);
    Future.all(counted, state)
        .onSuccess(both -> {
          if (counted.result()) {
            onState(attempt, state.result(), Round.first());
          } else {
            // Not counted, so not to be ended: only this attempt is told.
            attempt.done = true;
            forget(attempt);
            sendOutcome(attempt, OpenOutcome.failed(attempt.request.request(), new SwitchboardException(
                ErrorCode.RATE_LIMITED, "an open to " + attempt.to() + " is already waiting for an answer")));
          }
        })
        .onFailure(failure -> finish(attempt, failure));
  }

  /** Routes again on fresh state: after a decline or timeout, or when a reservation was refused. */
  private void route(OpenAttempt attempt, Round round) {
    conversations.routingState(attempt.to(), attempt.source(), clock.millis())
        .onSuccess(state -> onState(attempt, state, round))
        .onFailure(failure -> finish(attempt, failure));
  }

  private void onState(OpenAttempt attempt, RoutingState state, Round round) {
    if (attempt.done) {
      return;
    }
    String to = attempt.to();
    switch (state.kind()) {
      case NOT_FOUND -> finish(attempt, new SwitchboardException(ErrorCode.NOT_FOUND, "no user or virtual user " + to));
      case COMMON_USER -> reserve(attempt, new Reservation(to, attempt.conversation, CONNECTED, options.node(),
          options.memberOffersPerSecond(), clock.millis()), null, refusal ->
          finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE, refusal)));
      case VIRTUAL_USER -> {
        learn(state);
        Policy policy = state.virtualUser().policy();
        PolicyStep.Overflow overflow = policy.overflow();
        Hours hours = policy.hours();
        if (hours != null && !hours.isOpen(clock.instant())) {
          outsideHours(attempt, state, round);
        } else if (policy.isAvailable(state.status()) && waitsBehindOthers(attempt, state)) {
          List<TraceEntry> trace = new ArrayList<>(round.refusals());
          trace.add(new TraceEntry(QUEUE_STEP, TraceEntry.PASSED,
              state.waiting() + " already waiting in the queue of " + to));
          wait(attempt, state, trace);
        } else if (policy.isAvailable(state.status())) {
          select(attempt, state, round);
        } else if (overflow != null && overflow.after() == null) {
          List<TraceEntry> trace = new ArrayList<>(round.refusals());
          trace.add(new TraceEntry(OVERFLOW_STEP, TraceEntry.PASSED,
              to + " is " + state.status().wire() + ": it overflows to " + overflow.to() + " at once"));
          overflow(attempt, overflow.to(), trace);
        } else if (policy.queue() != null) {
          List<TraceEntry> trace = new ArrayList<>(round.refusals());
          trace.add(new TraceEntry(QUEUE_STEP, TraceEntry.PASSED, to + " is " + state.status().wire()));
          wait(attempt, state, trace);
        } else {
          finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE, to + " is " + state.status().wire()));
        }
      }
    }
  }

  /**
   * Whether an open that has not waited here finds others waiting in the queue (read with the state, in one step):
   * it then waits behind them, so that a member who frees up goes to the head, not to whichever open reaches a router
   * first (docs/POLICY.md § Queue).
   */
  private static boolean waitsBehindOthers(OpenAttempt attempt, RoutingState state) {
    return attempt.entry == null && state.waiting() > 0 && mayWait(attempt, state.virtualUser().policy());
  }

  /** Runs the chain on the state, without the members already offered and those refused in this round. */
  private void select(OpenAttempt attempt, RoutingState state, Round round) {
    Policy policy = state.virtualUser().policy();
    Set<String> excluded = new HashSet<>(attempt.offered);
    excluded.addAll(round.refused());
    long now = clock.millis();
    Selection selection = choose(attempt.request, excluded, state, now);
    List<TraceEntry> trace = new ArrayList<>(round.refusals());
    trace.addAll(selection.trace());
    if (selection.selected() == null) {
      if (policy.overflow() != null && policy.overflow().after() == null) {
        overflow(attempt, policy.overflow().to(), trace);
        return;
      }
      if (mayWait(attempt, policy)) {
        wait(attempt, state, trace);
        return;
      }
      record(attempt, null, null, trace, null);
      if (attempt.offered.isEmpty()) {
        finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE,
            "no member of " + attempt.to() + " can take a conversation now"));
      } else {
        giveUp(attempt);
      }
      return;
    }
    String member = selection.selected();
    Reservation reservation = new Reservation(member, attempt.conversation, policy.availableStatuses(), options.node(),
        options.memberOffersPerSecond(), now);
    reserve(attempt, reservation, policy, refusal -> {
      Round next = round.after(member, refusal);
      if (next.refused().size() > RESELECTIONS && mayWait(attempt, policy)) {
        wait(attempt, state, new ArrayList<>(next.refusals()));
      } else if (next.refused().size() > RESELECTIONS) {
        record(attempt, null, null, next.refusals(), null);
        finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE,
            "the members of " + attempt.to() + " were taken while this open was routed; try again"));
      } else {
        route(attempt, next);
      }
    }).onSuccess(granted -> {
      if (granted) {
        record(attempt, member, selection.step(), trace, ROUND_ROBIN.equals(selection.step()) ? member : null);
      }
    });
  }

  /** Runs the chain for an open over the state, without the members in {@code excluded}. */
  private static Selection choose(OpenRequest request, Set<String> excluded, RoutingState state, long now) {
    JsonObject context = request.context();
    return PolicyChain.select(state.virtualUser().policy(), new RoutingContext(request.source(),
        Geo.fromJson(context.getValue("geo")), context.getJsonObject("attributes", new JsonObject()), state.history(),
        state.members(), excluded, state.lastRoundRobin(), now));
  }

  /**
   * Reserves the member and offers it the conversation ({@code policy} null for a common user); a refusal goes to
   * {@code refused}. Answers whether it was granted.
   */
  private Future<Boolean> reserve(OpenAttempt attempt, Reservation reservation, Policy policy,
                                  Consumer<String> refused) {
    return conversations.reserve(reservation)
        .map(reserved -> {
          if (attempt.done) {
            conversations.cancel(reservation);
            return false;
          }
          if (!reserved.granted()) {
            refused.accept(reserved.refusal());
            return false;
          }
          offer(attempt, reservation, reserved.gateways(), policy);
          return true;
        })
        .onFailure(failure -> finish(attempt, failure));
  }

  private void record(OpenAttempt attempt, String selected, String step, List<TraceEntry> trace, String roundRobin) {
    RouteDecision decision = new RouteDecision(clock.millis(), attempt.conversation, attempt.source(), attempt.to(),
        selected, step, trace);
    metrics.routingDecision(step);
    LiveFeed.decision(vertx.eventBus(), decision);
    conversations.recordDecision(decision, roundRobin).onFailure(failure -> LogIds.log(() ->
        LOG.warn("could not record the routing decision of {}: {}", attempt.conversation, failure.getMessage()),
        LogIds.CONVERSATION, attempt.conversation, LogIds.USER, attempt.source()));
  }

  private void offer(OpenAttempt attempt, Reservation reservation, List<String> gateways, Policy policy) {
    boolean virtual = policy != null;
    Duration timeout = virtual ? policy.offerTimeout() : options.commonOfferTimeout();
    long expires = clock.millis() + timeout.toMillis();
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      PendingOffer offer = pending.get(attempt.conversation);
      if (offer != null && offer.timer() == id) {
        pending.remove(attempt.conversation);
        attempt.anyTimedOut = true;
        withdraw(offer, OfferWithdrawnEvent.TIMEOUT);
        refused(offer);
      }
    });
    attempt.offered.add(reservation.member());
    pending.put(attempt.conversation, new PendingOffer(attempt, reservation, gateways, virtual, policy, timer,
        metrics.now()));
    // The open stays pending for as long as this offer may wait.
    conversations.startOpen(attempt.source(), attempt.to(), attempt.conversation, options.maxPendingOpens(),
        clock.millis(), expires + options.commonOfferTimeout().toMillis());
    UserEvents.send(vertx.eventBus(), gateways, reservation.member(),
        new OfferEvent(attempt.conversation, attempt.source(), attempt.to(), expires, answerAddress, options.node()));
  }

  /** Tells the member an offer is gone unanswered: it timed out, or its open was cancelled. */
  private void withdraw(PendingOffer offer, String reason) {
    metrics.offerEnded(OfferWithdrawnEvent.TIMEOUT.equals(reason) ? OfferEnd.TIMED_OUT : OfferEnd.WITHDRAWN,
        offer.since());
    UserEvents.send(vertx.eventBus(), offer.gateways(), offer.member(),
        new OfferWithdrawnEvent(offer.attempt().conversation, reason));
  }

  /** The answer to an offer; an accept gives the conversation it opened (for the member's gateway), a decline null. */
  private Future<Conversation> answer(AnswerRequest answer) {
    PendingOffer offer = pending.get(answer.conversation());
    if (offer == null || !offer.member().equals(answer.user())) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.GONE, "the offer of " + answer.conversation() + " is gone"));
    }
    pending.remove(answer.conversation());
    vertx.cancelTimer(offer.timer());
    metrics.offerEnded(answer.accept() ? OfferEnd.ACCEPTED : OfferEnd.DECLINED, offer.since());
    // The answering gateway tells its own other connections of the user; the other gateways are told here.
    UserEvents.send(vertx.eventBus(), offer.gateways().stream().filter(gateway -> !gateway.equals(answer.gateway())).toList(),
        offer.member(), new OfferWithdrawnEvent(answer.conversation(), OfferWithdrawnEvent.ANSWERED));
    if (!answer.accept()) {
      refused(offer);
      return Future.succeededFuture(null);
    }
    OpenAttempt attempt = offer.attempt();
    boolean reveal = offer.virtual() && offer.policy().revealAgent();
    Conversation conversation = new Conversation(attempt.conversation, attempt.source(), attempt.to(),
        offer.member(), reveal, clock.millis());
    return conversations.open(conversation, options.node())
        .map(conversation)
        .onSuccess(opened -> {
          if (conversation.isVirtual()) {
            LiveFeed.opened(vertx.eventBus(), conversation, conversation.openedAt());
          }
          attempt.done = true;
          forget(attempt);
          settle(attempt);
          sendOutcome(attempt, OpenOutcome.opened(attempt.request.request(),
              new OpenResult(conversation.id(), conversation.destination(), reveal ? offer.member() : null),
              conversation.toJson()));
        })
        .onFailure(failure -> {
          conversations.cancel(offer.reservation());
          finish(attempt, failure);
        });
  }

  /** A declined or unanswered offer: give back its reservation and try the next member while the policy allows. */
  private void refused(PendingOffer offer) {
    OpenAttempt attempt = offer.attempt();
    conversations.cancel(offer.reservation()).onComplete(cancelled -> {
      if (offer.virtual() && attempt.offered.size() < offer.policy().maxOffers()) {
        route(attempt, Round.first());
      } else {
        giveUp(attempt);
      }
      serveIfQueued(attempt.to());
    });
  }

  private void giveUp(OpenAttempt attempt) {
    String to = attempt.to();
    finish(attempt, attempt.anyTimedOut
        ? new SwitchboardException(ErrorCode.TIMEOUT, "nobody at " + to + " accepted in time")
        : new SwitchboardException(ErrorCode.UNAVAILABLE, to + " declined the conversation"));
  }

  /** Ends an attempt that did not open: its source is told why, and its pending open ends. */
  private void finish(OpenAttempt attempt, Throwable failure) {
    if (attempt.done) {
      return;
    }
    attempt.done = true;
    forget(attempt);
    settle(attempt);
    conversations.endOpen(attempt.source(), attempt.conversation);
    sendOutcome(attempt, OpenOutcome.failed(attempt.request.request(), SwitchboardException.of(failure)));
  }

  private void track(OpenAttempt attempt) {
    attemptsBySource.computeIfAbsent(attempt.source(), source -> new HashSet<>()).add(attempt);
    attemptsByKey.put(attempt.key(), attempt);
  }

  private void forget(OpenAttempt attempt) {
    Set<OpenAttempt> ofSource = attemptsBySource.get(attempt.source());
    if (ofSource != null && ofSource.remove(attempt) && ofSource.isEmpty()) {
      attemptsBySource.remove(attempt.source());
    }
    attemptsByKey.remove(attempt.key(), attempt);
    stopWaitTimer(attempt);
  }

  private void sendOutcome(OpenAttempt attempt, OpenOutcome outcome) {
    vertx.eventBus().send(Addresses.gateway(attempt.request.gateway()), outcome);
  }

  /** The source left: its open attempts end, and an offer waiting for them is withdrawn. */
  private void cancelAttemptsOf(String source) {
    Set<OpenAttempt> attempts = attemptsBySource.get(source);
    if (attempts == null) {
      return;
    }
    for (OpenAttempt attempt : List.copyOf(attempts)) {
      if (attempt.waiting) {
        leaveQueue(attempt, new SwitchboardException(ErrorCode.GONE, source + " left while waiting"));
        continue;
      }
      PendingOffer offer = pending.get(attempt.conversation);
      if (offer != null) {
        pending.remove(attempt.conversation);
        vertx.cancelTimer(offer.timer());
        withdraw(offer, OfferWithdrawnEvent.CANCELLED);
        conversations.cancel(offer.reservation());
      }
      finish(attempt, new SwitchboardException(ErrorCode.GONE, source + " left before the conversation opened"));
    }
  }

  /** A member that left does not answer: its offers are declined at once. */
  private void declineOffersTo(String member) {
    for (PendingOffer offer : List.copyOf(pending.values())) {
      if (offer.member().equals(member)) {
        pending.remove(offer.attempt().conversation);
        vertx.cancelTimer(offer.timer());
        metrics.offerEnded(OfferEnd.WITHDRAWN, offer.since());
        refused(offer);
      }
    }
  }

  /** Gives back the reservations of a node that is gone; the members they held may take a waiting open now. */
  private void releaseReservationsOf(String node) {
    conversations.releaseReservationsOf(node)
        .onSuccess(members -> {
          if (!members.isEmpty()) {
            LOG.warn("gave back {} reservations of node {}, which left", members.size(), node);
            members.stream().distinct().flatMap(member -> queuesServedBy(member).stream()).distinct()
                .forEach(this::serve);
          }
        })
        .onFailure(failure -> LOG.warn("could not give back the reservations of node {}: {}", node, failure.getMessage()));
  }

  // --- business hours (docs/POLICY.md § Business hours)

  /** An open outside the virtual user's hours: refused with its message, or it waits in the queue until opening. */
  private void outsideHours(OpenAttempt attempt, RoutingState state, Round round) {
    Hours hours = state.virtualUser().policy().hours();
    String why = hours.closedMessage(attempt.to(), clock.instant());
    List<TraceEntry> trace = new ArrayList<>(round.refusals());
    trace.add(new TraceEntry(HOURS_STEP, TraceEntry.PASSED, "outside business hours: " + why));
    if (hours.queueWhenClosed() && attempt.offered.isEmpty()) {
      wait(attempt, state, trace);
    } else {
      record(attempt, null, HOURS_STEP, trace, null);
      finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE, why));
    }
  }

  private boolean isClosed(Policy policy) {
    return policy.hours() != null && !policy.hours().isOpen(clock.instant());
  }

  /** Serves the queues of virtual users whose hours began since the last look. */
  private void serveThoseThatOpened() {
    for (VirtualUser virtualUser : List.copyOf(queued.values())) {
      String id = virtualUser.id();
      if (isClosed(virtualUser.policy())) {
        closed.add(id);
      } else if (closed.remove(id)) {
        serve(id);
      }
    }
  }

  // --- waiting in the queue (docs/POLICY.md § Queue)

  /** Whether an open nobody can take now may wait: its virtual user has a queue and it may still be offered. */
  private static boolean mayWait(OpenAttempt attempt, Policy policy) {
    return policy.queue() != null && attempt.offered.size() < policy.maxOffers();
  }

  /**
   * The open's priority: that of the first {@code match} step with a priority whose {@code when} the source
   * satisfies, else the source's {@code priority} attribute (a number, bounded), else 0.
   */
  static int priorityOf(OpenRequest request, Policy policy) {
    JsonObject attributes = request.context().getJsonObject("attributes", new JsonObject());
    for (PolicyStep step : policy.chain()) {
      if (step instanceof PolicyStep.Match match && match.priority() != null && match.holdsFor(attributes)) {
        return match.priority();
      }
    }
    if (!(attributes.getValue(PRIORITY_ATTRIBUTE) instanceof Number number)) {
      return 0;
    }
    return (int) Math.max(-MAX_PRIORITY, Math.min(MAX_PRIORITY, Math.round(number.doubleValue())));
  }

  /**
   * Puts an open nobody can take now in the queue (back in its place when it waited before), or refuses it when the
   * queue is full; the source learns its position, and so do those it moved back.
   */
  private void wait(OpenAttempt attempt, RoutingState state, List<TraceEntry> trace) {
    Policy policy = state.virtualUser().policy();
    QueuePolicy queue = policy.queue();
    long now = clock.millis();
    // Outside business hours the wait starts at opening.
    Instant opening = policy.hours() == null ? null : policy.hours().nextOpening(clock.instant());
    long waitFrom = opening == null ? now : Math.max(now, opening.toEpochMilli());
    QueueEntry entry = attempt.entry == null
        ? new QueueEntry(attempt.key(), attempt.conversation, attempt.request, priorityOf(attempt.request, policy), now,
            waitFrom + queue.maxWait().toMillis(), List.copyOf(attempt.offered), options.node(), 0)
        : new QueueEntry(attempt.key(), attempt.conversation, attempt.request, attempt.entry.priority(),
            attempt.entry.enqueuedAt(), attempt.entry.deadline(), List.copyOf(attempt.offered), options.node(),
            attempt.entry.arrival());
    if (entry.deadline() <= now) {
      record(attempt, null, QUEUE_STEP, trace, null);
      finish(attempt, waitedTooLong(entry, queue));
      return;
    }
    // An open that comes back after its offers fell through had its place: the limit let it in already.
    QueuePolicy admission = attempt.entry == null ? queue
        : new QueuePolicy(QueuePolicy.HARD_LIMIT, queue.maxWait(), queue.bypassPriority());
    queues.enqueue(entry, admission).onSuccess(change -> {
      if (!change.changed()) {
        trace.add(new TraceEntry(QUEUE_STEP, TraceEntry.PASSED, "the queue is full (" + queue.maxWaiting() + " waiting)"));
        record(attempt, null, QUEUE_STEP, trace, null);
        finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE, "nobody at " + attempt.to()
            + " can take a conversation now and its queue is full"));
        return;
      }
      trace.add(new TraceEntry(QUEUE_STEP, TraceEntry.PASSED,
          "nobody can take it now: waits at position " + change.position() + " (priority " + entry.priority() + ")"));
      record(attempt, null, QUEUE_STEP, trace, null);
      attempt.entry = change.entry();
      attempt.waiting = true;
      if (attempt.done) {
        // Cancelled while it was being queued: out again.
        queues.remove(attempt.to(), attempt.key()).onSuccess(removed -> notifyMoved(attempt.to(), removed));
        return;
      }
      armWaitTimer(attempt, entry, policy);
      conversations.startOpen(attempt.source(), attempt.to(), attempt.conversation, options.maxPendingOpens(),
          clock.millis(), until(entry, policy));
      progress(change.entry(), change.position(), change.meanHandling());
      notifyMoved(attempt.to(), change);
      // A member may have freed up between the routing state and the queue.
      serve(attempt.to());
    }).onFailure(failure -> finish(attempt, failure));
  }

  /** Ends the wait at its deadline, or carries the open over at the policy's overflow time if that comes first. */
  private void armWaitTimer(OpenAttempt attempt, QueueEntry entry, Policy policy) {
    stopWaitTimer(attempt);
    PolicyStep.Overflow overflow = policy.overflow();
    long overflowAt = overflow == null ? Long.MAX_VALUE : entry.enqueuedAt() + overflow.after().toMillis();
    boolean overflows = overflowAt < entry.deadline();
    long at = overflows ? overflowAt : entry.deadline();
    attempt.waitTimer = vertx.setTimer(Math.max(1, at - clock.millis()), id -> {
      attempt.waitTimer = -1;
      if (!overflows) {
        leaveQueue(attempt, waitedTooLong(entry, policy.queue()));
        return;
      }
      queues.remove(attempt.to(), attempt.key()).onSuccess(change -> {
        if (change.changed()) {
          notifyMoved(attempt.to(), change);
          attempt.waiting = false;
          overflow(attempt, overflow.to(), new ArrayList<>(List.of(new TraceEntry(OVERFLOW_STEP, TraceEntry.PASSED,
              "waited " + overflow.after() + " in the queue: it overflows to " + overflow.to()))));
        } else if (attempt.waiting) {
          attempt.done = true;
          forget(attempt);
        }
      });
    });
  }

  /**
   * Carries an open nobody here can take over to the virtual user {@code to}, whose own chain routes it (and whose
   * queue it may wait in); the decision here records where it went.
   */
  private void overflow(OpenAttempt attempt, String to, List<TraceEntry> trace) {
    record(attempt, null, OVERFLOW_STEP, trace, null);
    if (attempt.overflows >= MAX_OVERFLOWS) {
      finish(attempt, new SwitchboardException(ErrorCode.UNAVAILABLE, "nobody can take a conversation now at "
          + attempt.to() + " or where it overflows to"));
      return;
    }
    String from = attempt.to();
    OpenRequest request = attempt.request;
    attempt.request = new OpenRequest(request.source(), to, request.context(), request.gateway(), request.request());
    attempt.overflows++;
    attempt.entry = null;
    route(attempt, Round.overflowedFrom(from));
  }

  private static SwitchboardException waitedTooLong(QueueEntry entry, QueuePolicy queue) {
    return new SwitchboardException(ErrorCode.TIMEOUT, "nobody at " + entry.destination() + " was free within "
        + queue.maxWait() + " (maxWait)");
  }

  /**
   * Takes a waiting attempt out of the queue and ends it with {@code why}; when another router took it out first
   * (to serve it, or it ended there), this router only forgets it.
   */
  private void leaveQueue(OpenAttempt attempt, SwitchboardException why) {
    queues.remove(attempt.to(), attempt.key())
        .onSuccess(change -> {
          if (change.changed()) {
            notifyMoved(attempt.to(), change);
            finish(attempt, why);
          } else if (attempt.waiting) {
            attempt.done = true;
            forget(attempt);
          }
        })
        .onFailure(failure -> LOG.warn("could not take {} out of the queue of {}: {}", attempt.key(), attempt.to(),
            failure.getMessage()));
  }

  private void stopWaitTimer(OpenAttempt attempt) {
    if (attempt.waitTimer >= 0) {
      vertx.cancelTimer(attempt.waitTimer);
      attempt.waitTimer = -1;
    }
  }

  /** How long the source's gateway waits for the outcome of a waiting open: its deadline, then a full round of offers. */
  private long until(QueueEntry entry, Policy policy) {
    return entry.deadline() + answerWindow(policy);
  }

  private long answerWindow(Policy policy) {
    return policy.maxOffers() * policy.offerTimeout().toMillis() + options.commonOfferTimeout().toMillis();
  }

  /** An attempt that was taken out of the queue to be offered is over: the store forgets it. */
  private void settle(OpenAttempt attempt) {
    if (attempt.entry != null && !attempt.waiting) {
      queues.remove(attempt.to(), attempt.key()).onFailure(failure ->
          LOG.warn("could not settle {} in the queue of {}: {}", attempt.key(), attempt.to(), failure.getMessage()));
    }
  }

  /**
   * A node is gone, and with it the offers its router made for heads it took out of queues: those go back in their
   * places, their sources learn their positions again, and the queues are served. Completes when every queue was
   * looked at, whether or not it could be.
   */
  private Future<Void> returnOffersOf(String node) {
    List<Future<Void>> returns = new ArrayList<>();
    for (String destination : List.copyOf(queued.keySet())) {
      returns.add(queues.returnOffered(destination, node)
          .compose(returned -> returned == 0 ? Future.succeededFuture(List.<QueueEntry>of())
              : queues.waiting(destination, QueuePolicy.HARD_LIMIT))
          .onSuccess(waiting -> {
            if (!waiting.isEmpty()) {
              LOG.warn("put back the offers node {} was making for the queue of {}", node, destination);
              // Positions that did not change are not told again (the gateway knows them).
              for (int i = 0; i < waiting.size(); i++) {
                progress(waiting.get(i), i + 1, null);
              }
              LiveFeed.queueChanged(vertx.eventBus(), destination);
              serve(destination);
            }
          })
          .onFailure(failure -> LOG.warn("could not put back the offers of node {} for {}: {}", node, destination,
              failure.getMessage()))
          .<Void>mapEmpty());
    }
    return Future.join(returns).mapEmpty();
  }

  /** Tells the source of a waiting open its position and estimated wait. */
  private void progress(QueueEntry entry, int position, Long meanHandling) {
    VirtualUser virtualUser = queued.get(entry.destination());
    Policy policy = virtualUser == null ? Policy.DEFAULT : virtualUser.policy();
    vertx.eventBus().send(Addresses.gateway(entry.request().gateway()), new OpenProgress(entry.request().request(),
        entry.router(), entry.destination(), position, estimatedWait(entry.destination(), position, meanHandling),
        until(entry, policy)));
  }

  /**
   * The estimated wait at a position: the mean of the virtual user's recent handling times for every round of
   * conversations ahead, a round being as many as its available members take at once (docs/POLICY.md § Queue).
   */
  private Long estimatedWait(String destination, int position, Long meanHandling) {
    if (meanHandling == null) {
      return null;
    }
    int atOnce = servers.getOrDefault(destination, 1);
    return ((position + atOnce - 1) / atOnce) * meanHandling;
  }

  private void notifyMoved(String destination, QueueChange change) {
    change.moved().forEach(waiting -> progress(waiting.entry(), waiting.position(), change.meanHandling()));
    LiveFeed.queueChanged(vertx.eventBus(), destination);
  }

  private void learn(RoutingState state) {
    learn(state.virtualUser());
    Policy policy = state.virtualUser().policy();
    if (policy.queue() == null) {
      return;
    }
    int atOnce = 0;
    for (MemberState member : state.members()) {
      if (policy.isAvailable(member.status())) {
        Integer capacity = member.user().maxConversations();
        atOnce += capacity == null ? 1 : capacity;
      }
    }
    servers.put(state.virtualUser().id(), Math.max(1, atOnce));
  }

  private void learn(VirtualUser virtualUser) {
    if (virtualUser.policy().queue() != null) {
      queued.put(virtualUser.id(), virtualUser);
      if (isClosed(virtualUser.policy())) {
        // Its opening is noticed from now on, even before the next look at the hours.
        closed.add(virtualUser.id());
      }
    } else {
      queued.remove(virtualUser.id());
      servers.remove(virtualUser.id());
      closed.remove(virtualUser.id());
    }
  }

  /** The queued virtual users {@code member} serves. */
  private List<String> queuesServedBy(String member) {
    return queued.values().stream().filter(virtualUser -> virtualUser.members().contains(member))
        .map(VirtualUser::id).toList();
  }

  private void serveIfQueued(String destination) {
    if (queued.containsKey(destination)) {
      serve(destination);
    }
  }

  /** A conversation ended: its handling time counts for the estimates, and its agent may take a waiting open. */
  private void freedUp(Conversation conversation) {
    if (conversation.isVirtual() && queued.containsKey(conversation.destination())) {
      queues.recordHandling(conversation.destination(), Math.max(0, clock.millis() - conversation.openedAt()));
    }
    serveIfQueued(conversation.destination());
    queuesServedBy(conversation.agent()).forEach(this::serve);
  }

  /** Serves the queue of {@code destination} while its head finds a member; one serving per queue at a time. */
  private void serve(String destination) {
    if (!serving.add(destination)) {
      serveAgain.add(destination);
      return;
    }
    serveFront(destination).onComplete(served -> {
      if (served.failed()) {
        LOG.warn("could not serve the queue of {}: {}", destination, served.cause().getMessage());
      }
      serving.remove(destination);
      if (serveAgain.remove(destination) || (served.succeeded() && served.result())) {
        serve(destination);
      }
    });
  }

  /**
   * Serves the head of a queue, or the first open behind it when the members free now already declined or let time
   * out those before it: reserves the member the chain selects, then takes the open out of the queue (only one
   * router gets it: a router that loses gives the reservation back) and offers it. Answers whether the queue should
   * be looked at again.
   */
  private Future<Boolean> serveFront(String destination) {
    return queues.waiting(destination, LOOK_AHEAD).compose(front -> serveFirst(destination, front, 0));
  }

  private Future<Boolean> serveFirst(String destination, List<QueueEntry> front, int index) {
    if (index == front.size()) {
      return Future.succeededFuture(false);
    }
    QueueEntry entry = front.get(index);
    long now = clock.millis();
    if (entry.deadline() <= now) {
      return expire(entry).map(true);
    }
    Future<RoutingState> read = conversations.routingState(destination, entry.request().source(), now);
    Future<List<PresenceChange>> source = presence.presence(List.of(entry.request().source()));
    return Future.all(read, source).compose(both -> {
      RoutingState state = read.result();
      if (state.kind() != RoutingState.Kind.VIRTUAL_USER) {
        return Future.succeededFuture(false);
      }
      if (Status.OFFLINE.wire().equals(source.result().get(0).status())) {
        // Its connection went with its node (a source that disconnects leaves the queue itself): nobody to tell.
        return queues.remove(destination, entry.key()).map(change -> {
          notifyMoved(destination, change);
          conversations.endOpen(entry.request().source(), entry.conversation());
          return true;
        });
      }
      learn(state);
      Policy policy = state.virtualUser().policy();
      if (!policy.isAvailable(state.status()) || isClosed(policy)) {
        return Future.succeededFuture(false);
      }
      Selection selection = choose(entry.request(), new HashSet<>(entry.offered()), state, now);
      if (selection.selected() == null) {
        // Only an open that members declined or let time out is passed over (they are not offered it again); one
        // that finds nobody at all keeps everyone behind it waiting, so that the order holds whatever the timing.
        return entry.offered().isEmpty() ? Future.succeededFuture(false) : serveFirst(destination, front, index + 1);
      }
      Reservation reservation = new Reservation(selection.selected(), entry.conversation(),
          policy.availableStatuses(), options.node(), options.memberOffersPerSecond(), now);
      return conversations.reserve(reservation).compose(reserved -> !reserved.granted()
          ? Future.succeededFuture(false)
          : queues.take(destination, entry.key(), options.node()).compose(change -> {
            if (!change.changed()) {
              return conversations.cancel(reservation).map(true);
            }
            notifyMoved(destination, change);
            offerHead(change.entry(), selection, reservation, reserved.gateways(), policy);
            return Future.succeededFuture(true);
          }));
    });
  }

  /** Offers the member reserved for it an open this router took out of the queue. */
  private void offerHead(QueueEntry head, Selection selection, Reservation reservation, List<String> gateways,
                         Policy policy) {
    OpenAttempt attempt = attemptsByKey.get(head.key());
    if (attempt == null || attempt.done) {
      attempt = new OpenAttempt(head);
      track(attempt);
    }
    attempt.entry = head;
    attempt.waiting = false;
    stopWaitTimer(attempt);
    String member = selection.selected();
    record(attempt, member, selection.step(), selection.trace(), ROUND_ROBIN.equals(selection.step()) ? member : null);
    vertx.eventBus().send(Addresses.gateway(head.request().gateway()), new OpenProgress(head.request().request(),
        options.node(), head.destination(), 0, null, clock.millis() + answerWindow(policy)));
    offer(attempt, reservation, gateways, policy);
  }

  /** A head past its deadline whose router did not time it out (that node went away): it ends here. */
  private Future<Void> expire(QueueEntry head) {
    return queues.remove(head.destination(), head.key()).map(change -> {
      if (change.changed()) {
        notifyMoved(head.destination(), change);
        VirtualUser virtualUser = queued.get(head.destination());
        QueuePolicy queue = virtualUser == null ? null : virtualUser.policy().queue();
        SwitchboardException why = queue == null
            ? new SwitchboardException(ErrorCode.TIMEOUT, "nobody at " + head.destination() + " was free in time")
            : waitedTooLong(head, queue);
        endElsewhere(head, why);
      }
      return null;
    });
  }

  /** Ends an open taken out of the queue that this router may not hold: its source is told, its pending open ends. */
  private void endElsewhere(QueueEntry entry, SwitchboardException why) {
    OpenAttempt attempt = attemptsByKey.get(entry.key());
    if (attempt != null) {
      finish(attempt, why);
      return;
    }
    conversations.endOpen(entry.request().source(), entry.conversation());
    vertx.eventBus().send(Addresses.gateway(entry.request().gateway()),
        OpenOutcome.failed(entry.request().request(), why));
  }

  /**
   * The source withdraws an open: an offer made for it is withdrawn and its reservation given back, or it leaves the
   * queue; the open ends with {@code cancelled}. Fails {@code gone} when it no longer waits.
   */
  private Future<Void> cancel(CancelOpen request) {
    SwitchboardException cancelled = new SwitchboardException(ErrorCode.CANCELLED, "the open was cancelled");
    OpenAttempt attempt = attemptsByKey.get(request.key());
    if (attempt != null && !attempt.done && !attempt.waiting) {
      PendingOffer offer = pending.remove(attempt.conversation);
      if (offer != null) {
        vertx.cancelTimer(offer.timer());
        withdraw(offer, OfferWithdrawnEvent.CANCELLED);
        conversations.cancel(offer.reservation()).onComplete(given -> serveIfQueued(attempt.to()));
      }
      finish(attempt, cancelled);
      return Future.succeededFuture();
    }
    return queues.remove(request.to(), request.key()).compose(change -> {
      if (!change.changed()) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.GONE, "that open is no longer waiting"));
      }
      notifyMoved(request.to(), change);
      endElsewhere(change.entry(), cancelled);
      return Future.succeededFuture();
    });
  }

  // --- closing

  /** The conversation as the closing gateway knows it: enough to close it in one step, or null. */
  private static Conversation known(CloseRequest request) {
    return request.source() == null || request.agent() == null ? null
        : new Conversation(request.conversation(), request.source(), request.agent(), request.agent(), false, 0);
  }

  private Future<Void> close(String id, String user, Conversation known, String reason) {
    return conversations.close(id, user, known).map(closed -> {
      Conversation conversation = closed.conversation();
      freedUp(conversation);
      EventBus bus = vertx.eventBus();
      UserEvents.send(bus, closed.sourceGateways(), conversation.source(),
          new ClosedEvent(id, conversation.seenBy(conversation.source(), user), reason));
      UserEvents.send(bus, closed.agentGateways(), conversation.agent(), new ClosedEvent(id, user, reason));
      if (conversation.isVirtual()) {
        LiveFeed.closed(bus, conversation, user, reason, clock.millis());
      }
      // A closed conversation may activate handling rules of either party (docs/RULES.md).
      bus.send(Addresses.RULES_CLOSED, new JsonObject().put("conversation", id)
          .put("users", new JsonArray().add(conversation.source()).add(conversation.agent())));
      return null;
    });
  }

  /**
   * A user whose last connection ended keeps its conversations for the disconnect grace, so a reconnect (to any
   * node) carries on; after that they are closed and their load given back. Its open attempts end at once, and
   * offers waiting for its answer go to the next member.
   */
  private void onPresence(PresenceChange change) {
    if (change.virtual()) {
      return;
    }
    cancelDeparture(change.user());
    if (!Status.OFFLINE.wire().equals(change.status())) {
      queuesServedBy(change.user()).forEach(this::serve);
    }
    if (Status.OFFLINE.wire().equals(change.status())) {
      cancelAttemptsOf(change.user());
      declineOffersTo(change.user());
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

  /** Closes the conversations of a user still offline; another router node may close them first (then: gone). */
  private void closeAllOf(String user) {
    presence.presence(List.of(user))
        .compose(now -> Status.OFFLINE.wire().equals(now.get(0).status())
            ? conversations.conversationsOf(user) : Future.succeededFuture(List.<Conversation>of()))
        .onSuccess(open -> open.forEach(conversation ->
            close(conversation.id(), user, conversation, ClosedEvent.DISCONNECTED)
                .onFailure(failure -> LOG.debug("conversation {} of departed {} not closed here: {}", conversation.id(),
                    user, failure.getMessage()))))
        .onFailure(failure -> LogIds.log(() -> LOG.warn("could not close the conversations of departed user {}", user,
            failure), LogIds.USER, user));
  }
}
