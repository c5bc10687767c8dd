package io.switchboard.gateway;

import io.switchboard.auth.TokenPolicy;
import io.switchboard.contract.Addresses;
import io.switchboard.contract.ClosedEvent;
import io.switchboard.contract.LogIds;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.OfferWithdrawnEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.contract.TransferredEvent;
import io.switchboard.contract.UserEvent;
import io.switchboard.conversation.Conversation;
import io.switchboard.directory.User;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.Mailbox;
import io.switchboard.store.MessageStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One gateway verticle's connections: the sessions of each user, the offers waiting for their answer, the opens
 * waiting for their outcome, and who watches whom. Events for a user arrive at this gateway's address (the store
 * knows which gateways hold a user's sessions) and go to every local session of that user. Lives on the gateway
 * verticle's event loop; nothing here is shared with other threads.
 */
final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  final Vertx vertx;
  /** This gateway's id: where the cluster sends the events of the sessions it holds. */
  final String id;
  final String nodeId;
  final DirectoryStore directory;
  final ConversationStore conversations;
  final MessageStore messages;
  final RulesStore rulesStore;
  final TokenPolicy tokens;
  final GatewayOptions options;
  final ConnectionCounters counters;
  final SwitchboardMetrics metrics;
  final Clock clock;
  final RulesCache rules;
  final Deliveries deliveries;
  final PendingOpens opens;
  final RoleRequests roles;
  final AdaptiveRequests adaptive;

  private final Set<Session> sessions = new HashSet<>();
  private final Map<String, LocalUser> users = new HashMap<>();
  private final Map<String, Set<Session>> watchers = new HashMap<>();
  /** Set by {@link #drain}: the node is stopping, and a connection that opens now is told to go at once. */
  private boolean draining;

  /** The connections of one user on this gateway and the offers made to it, by conversation. */
  private static final class LocalUser {
    final Set<Session> sessions = new LinkedHashSet<>();
    final Map<String, OfferEvent> offers = new HashMap<>();
  }

  Gateway(Vertx vertx, String id, String nodeId, DirectoryStore directory, ConversationStore conversations,
          MessageStore messages, RulesStore rulesStore, TokenPolicy tokens, GatewayOptions options,
          ConnectionCounters counters, Clock clock) {
    this.vertx = vertx;
    this.id = id;
    this.nodeId = nodeId;
    this.directory = directory;
    this.conversations = conversations;
    this.messages = messages;
    this.rulesStore = rulesStore;
    this.tokens = tokens;
    this.options = options;
    this.counters = counters;
    this.metrics = SwitchboardMetrics.of(vertx);
    this.clock = clock;
    this.rules = new RulesCache(rulesStore);
    this.deliveries = new Deliveries(vertx, conversations, messages, rulesStore, rules, counters, clock, metrics,
        new Observations(rulesStore, metrics));
    this.opens = new PendingOpens(vertx, options.openTimeout(), id, clock, metrics);
    this.roles = new RoleRequests(vertx.eventBus());
    this.adaptive = new AdaptiveRequests(vertx, messages, rulesStore, clock);
  }

  Session newSession(Connection connection) {
    Session session = new Session(this, connection, "s-" + UUID.randomUUID());
    sessions.add(session);
    counters.opened();
    metrics.connectionOpened(connection.transport());
    connection.send(Frames.hello(nodeId, options.heartbeat().toMillis()));
    if (draining) {
      // once the connection has set its handlers (it is being built)
      vertx.runOnContext(built -> session.goAway());
    }
    return session;
  }

  private SessionRef ref(Session session) {
    return new SessionRef(session.user(), session.id(), nodeId, id);
  }

  /**
   * Makes an authenticated session reachable: it is local before presence records it (with this gateway), so an
   * event sent to this gateway once the store knows the session finds it here.
   */
  Future<Void> attach(Session session) {
    users.computeIfAbsent(session.user(), user -> new LocalUser()).sessions.add(session);
    return roles.idempotent(Addresses.PRESENCE_CONNECT, ref(session))
        .<Void>mapEmpty()
        .onFailure(failure -> removeLocal(session));
  }

  /**
   * Tells presence again of every attached session, after this node's lease was taken away (the cluster judged it
   * dead and disconnected its sessions): each user is online again with the status it had set, and what reached its
   * mailbox meanwhile goes to its sessions here. A session that cannot be announced is closed, so that its client
   * reconnects to a node the cluster can reach.
   */
  void reannounceSessions() {
    users.forEach((user, local) -> {
      List<Session> ready = local.sessions.stream().filter(Session::isReady).toList();
      Future<Mailbox> mailbox = Future.join(ready.stream()
              .map(session -> roles.idempotent(Addresses.PRESENCE_CONNECT, ref(session))
                  .compose(connected -> session.restoreStatus())
                  .onFailure(failure -> session.goAway())).toList())
          .transform(announced -> messages.drainMailbox(user));
      ready.forEach(session -> session.catchUp(mailbox));
    });
  }

  /**
   * A planned stop: tells every session to reconnect elsewhere; each closes once the requests it had sent are
   * answered (see {@link Session#goAway}). Completes when every session is gone and presence has been told.
   */
  Future<Void> drain() {
    draining = true;
    List<Future<?>> detached = new ArrayList<>();
    for (Session session : List.copyOf(sessions)) {
      detached.add(session.closed());
      session.goAway();
    }
    return Future.join(detached).mapEmpty();
  }

  /** The stop's grace is over: every session still open closes now, answered or not. */
  void leaveAll() {
    List.copyOf(sessions).forEach(Session::leave);
  }

  /** Gives a store that lost everything the conversations of the users connected here (see {@link Deliveries#restoreAll}). */
  Future<Void> restoreConversations() {
    return deliveries.restoreAll(users::containsKey);
  }

  /** Forgets a session that was attached; its user goes offline when this was its last connection anywhere. */
  Future<Void> detach(Session session) {
    removeLocal(session);
    return roles.idempotent(Addresses.PRESENCE_DISCONNECT, ref(session)).mapEmpty();
  }

  private void removeLocal(Session session) {
    LocalUser local = users.get(session.user());
    if (local != null && local.sessions.remove(session) && local.sessions.isEmpty()) {
      users.remove(session.user());
    }
  }

  void forget(Session session) {
    if (sessions.remove(session)) {
      counters.closed();
    }
    opens.forget(session);
    for (String user : new ArrayList<>(session.watching())) {
      unwatch(session, user);
    }
  }

  /**
   * An event for {@code user}: every local session of it gets it. A message for a user whose last session here just
   * went waits in its mailbox, unless the user is connected elsewhere.
   */
  void onUserEvent(String user, UserEvent event) {
    LocalUser local = users.get(user);
    if (local == null) {
      if (event instanceof MessageEvent message) {
        messages.requeue(user, message, id).onSuccess(queued -> {
          if (queued) {
            metrics.messageQueued();
          }
        }).onFailure(failure -> LogIds.log(() ->
            LOG.warn("message {} of {} for {}, who left, is only in its transcript: {}", message.seq(),
                message.conversation(), user, failure.getMessage()),
            LogIds.USER, user, LogIds.CONVERSATION, message.conversation()));
      }
      return;
    }
    if (event instanceof MessageEvent message) {
      deliveries.seen(message.conversation(), message.seq());
    } else if (event instanceof ClosedEvent closed) {
      deliveries.forget(closed.conversation());
    } else if (event instanceof TransferredEvent transferred) {
      deliveries.remember(Conversation.fromJson(transferred.moved()));
    }
    if (event instanceof OfferEvent offer) {
      local.offers.put(offer.conversation(), offer);
      // Forget the offer once it expired; the router has moved on by then.
      long ttl = Math.max(1, offer.expires() - clock.millis());
      vertx.setTimer(ttl, timer -> local.offers.remove(offer.conversation(), offer));
    } else if (event instanceof OfferWithdrawnEvent withdrawn) {
      local.offers.remove(withdrawn.conversation());
    }
    for (Session session : List.copyOf(local.sessions)) {
      session.deliver(event);
    }
  }

  /**
   * Takes the offer of {@code conversation} made to {@code user}: the first answer from any of its connections wins,
   * and its other connections here are told the offer is gone.
   */
  String takeOffer(Session answering, String conversation) {
    LocalUser local = users.get(answering.user());
    OfferEvent offer = local == null ? null : local.offers.remove(conversation);
    if (offer == null) {
      return null;
    }
    OfferWithdrawnEvent withdrawn = new OfferWithdrawnEvent(conversation, OfferWithdrawnEvent.ANSWERED);
    local.sessions.stream().filter(session -> session != answering).forEach(session -> session.deliver(withdrawn));
    return offer.answerAddress();
  }

  /** The node whose router made some offers was evicted: those offers are gone. */
  void routerLost(String node) {
    opens.routerLost(node);
    users.forEach((user, local) -> List.copyOf(local.offers.values()).stream()
        .filter(offer -> node.equals(offer.router()))
        .forEach(offer -> onUserEvent(user, new OfferWithdrawnEvent(offer.conversation(), OfferWithdrawnEvent.CANCELLED))));
  }

  /** A user's profile changed in the directory (anywhere in the cluster): its sessions here open with it from now on. */
  void onProfileChanged(User profile) {
    LocalUser local = users.get(profile.id());
    if (local != null) {
      local.sessions.forEach(session -> session.profileChanged(profile));
    }
  }

  void watch(Session session, String user) {
    if (session.watching().add(user)) {
      watchers.computeIfAbsent(user, watched -> new HashSet<>()).add(session);
    }
  }

  void unwatch(Session session, String user) {
    if (session.watching().remove(user)) {
      Set<Session> set = watchers.get(user);
      if (set != null && set.remove(session) && set.isEmpty()) {
        watchers.remove(user);
      }
    }
  }

  void onPresenceChanged(PresenceChange change) {
    Set<Session> set = watchers.get(change.user());
    if (set != null) {
      JsonObject frame = Frames.presence(change);
      set.forEach(session -> session.send(frame));
    }
  }

  /** Nudges connections silent for a heartbeat and closes those silent for two (docs/PROTOCOL.md §Connecting). */
  void sweepIdle() {
    long now = clock.millis();
    long heartbeat = options.heartbeat().toMillis();
    for (Session session : List.copyOf(sessions)) {
      session.checkIdle(now, heartbeat);
    }
  }
}
