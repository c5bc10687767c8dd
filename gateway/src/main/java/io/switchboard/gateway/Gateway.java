package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.UserEvent;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;

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
 * This node's connections: the sessions of each user (with one event-bus consumer per user, so that offers and
 * messages reach every connection of it on any node), the offers waiting for an answer, and who watches whom.
 * Lives on the gateway verticle's event loop; nothing here is shared with other threads.
 */
final class Gateway {

  final Vertx vertx;
  final SwitchboardStore store;
  final JWTAuth auth;
  final GatewayOptions options;
  final String nodeId;
  final Clock clock;
  final RulesCache rules;
  final Deliveries deliveries;

  private final Set<Session> sessions = new HashSet<>();
  private final Map<String, LocalUser> users = new HashMap<>();
  private final Map<String, Set<Session>> watchers = new HashMap<>();

  /** The connections of one user on this node and the offers made to it. */
  private static final class LocalUser {
    final Set<Session> sessions = new LinkedHashSet<>();
    final Map<String, String> offerAnswerAddresses = new HashMap<>();
    MessageConsumer<JsonObject> consumer;
  }

  Gateway(Vertx vertx, SwitchboardStore store, JWTAuth auth, GatewayOptions options, String nodeId, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.auth = auth;
    this.options = options;
    this.nodeId = nodeId;
    this.clock = clock;
    this.rules = new RulesCache(store);
    this.deliveries = new Deliveries(vertx, store, rules, clock);
  }

  Session newSession(Connection connection) {
    Session session = new Session(this, connection, "s-" + UUID.randomUUID());
    sessions.add(session);
    connection.send(Frames.hello(nodeId, options.heartbeat().toMillis()));
    return session;
  }

  /**
   * Makes an authenticated session reachable: its user's consumer is registered (cluster-wide) before presence
   * says the user is online, so nothing sent after that can miss it.
   */
  Future<Void> attach(Session session) {
    LocalUser local = users.computeIfAbsent(session.user(), id -> new LocalUser());
    local.sessions.add(session);
    if (local.consumer == null) {
      local.consumer = vertx.eventBus().consumer(Addresses.user(session.user()),
          msg -> onUserEvent(session.user(), UserEvent.fromJson(msg.body())));
    }
    return local.consumer.completion()
        .compose(registered -> vertx.eventBus().request(Addresses.PRESENCE_CONNECT,
            new SessionRef(session.user(), session.id(), nodeId).toJson()))
        .<Void>mapEmpty()
        .onFailure(failure -> removeLocal(session));
  }

  /** Tells presence again of every attached session, after this node's lease may have been lost. */
  void reannounceSessions() {
    users.forEach((user, local) -> local.sessions.forEach(session -> vertx.eventBus()
        .request(Addresses.PRESENCE_CONNECT, new SessionRef(user, session.id(), nodeId).toJson())));
  }

  /** Forgets a session that was attached; its user goes offline when this was its last connection anywhere. */
  void detach(Session session) {
    removeLocal(session);
    vertx.eventBus().request(Addresses.PRESENCE_DISCONNECT, new SessionRef(session.user(), session.id(), nodeId).toJson());
  }

  private void removeLocal(Session session) {
    LocalUser local = users.get(session.user());
    if (local != null && local.sessions.remove(session) && local.sessions.isEmpty()) {
      users.remove(session.user());
      local.consumer.unregister();
    }
  }

  void forget(Session session) {
    sessions.remove(session);
    for (String user : new ArrayList<>(session.watching())) {
      unwatch(session, user);
    }
  }

  private void onUserEvent(String user, UserEvent event) {
    LocalUser local = users.get(user);
    if (local == null) {
      return;
    }
    if (event instanceof OfferEvent offer) {
      local.offerAnswerAddresses.put(offer.conversation(), offer.answerAddress());
      // Forget the offer once it expired; the router has moved on by then.
      long ttl = Math.max(1, offer.expires() - clock.millis());
      vertx.setTimer(ttl, id -> local.offerAnswerAddresses.remove(offer.conversation(), offer.answerAddress()));
    }
    for (Session session : List.copyOf(local.sessions)) {
      session.deliver(event);
    }
  }

  /** Takes the offer of {@code conversation} made to {@code user}: the first answer from any of its connections wins. */
  String takeOffer(String user, String conversation) {
    LocalUser local = users.get(user);
    return local == null ? null : local.offerAnswerAddresses.remove(conversation);
  }

  void watch(Session session, String user) {
    if (session.watching().add(user)) {
      watchers.computeIfAbsent(user, id -> new HashSet<>()).add(session);
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

  /** Nudges connections silent for a heartbeat and closes those silent for two (PROTOCOL.md §Connecting). */
  void sweepIdle() {
    long now = clock.millis();
    long heartbeat = options.heartbeat().toMillis();
    for (Session session : List.copyOf(sessions)) {
      session.checkIdle(now, heartbeat);
    }
  }
}
