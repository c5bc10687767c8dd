package io.switchboard.presence;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Replies;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Presence (SPEC.md §2): records sessions and statuses in the store, which aggregates virtual users, and
 * publishes every resulting change on {@link Addresses#PRESENCE_CHANGED} for the gateways' watchers. It also
 * watches the nodes' leases: the sessions of a node whose lease ran out are disconnected, and the router is
 * told to close the conversations of users who are offline because of it (SPEC.md §6).
 */
public final class PresenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final SwitchboardStore store;
  private final Clock clock;
  private final Duration lease;
  private HeldMessages handlingRules;
  /** When this node may start evicting: one lease after it last (re)gained the store; MAX_VALUE while it has not. */
  private long judgeLeasesFrom = Long.MAX_VALUE;

  /** @param lease how long a node's lease lasts; expired ones are looked for three times per lease */
  public PresenceVerticle(SwitchboardStore store, Clock clock, Duration lease) {
    this.store = store;
    this.clock = clock;
    this.lease = lease;
  }

  @Override
  public Future<?> start() {
    handlingRules = new HeldMessages(vertx, store, clock);
    vertx.setPeriodic(Math.max(1, lease.toMillis() / 3), id -> evictExpiredNodes());
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.PRESENCE_CONNECT,
            msg -> Replies.reply(msg, publish(store.connect(SessionRef.fromJson(msg.body()))))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_DISCONNECT,
            msg -> Replies.reply(msg, publish(store.disconnect(SessionRef.fromJson(msg.body()))))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_SET,
            msg -> Replies.reply(msg, publish(store.setStatus(StatusRequest.fromJson(msg.body()))))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_QUERY, msg -> {
          List<String> ids = msg.body().getJsonArray("users").stream().map(String.class::cast).toList();
          Replies.reply(msg, store.presence(ids), PresenceVerticle::toJson);
        }).completion());
  }

  /**
   * Evicts the nodes whose lease ran out. A node judges others' leases only after it has itself reached the store
   * for a whole lease: after a store outage (or at start) every live gateway gets one lease to renew, so a blip
   * of the store never passes for the death of every node.
   */
  private void evictExpiredNodes() {
    long now = clock.millis();
    store.expiredNodes(now)
        .onFailure(failure -> {
          judgeLeasesFrom = Long.MAX_VALUE;
          LOG.warn("could not check the nodes' leases: {}", failure.getMessage());
        })
        .onSuccess(nodes -> {
          if (judgeLeasesFrom == Long.MAX_VALUE) {
            judgeLeasesFrom = now + lease.toMillis();
          }
          if (now >= judgeLeasesFrom) {
            nodes.forEach(this::evict);
          }
        });
  }

  private void evict(String node) {
    store.evictNode(node).onSuccess(sessions -> {
          if (!sessions.isEmpty()) {
            LOG.warn("node {} lost its lease: disconnecting its {} sessions", node, sessions.size());
          }
          sessions.forEach(session -> publish(store.disconnect(session)).onSuccess(changes -> changes.stream()
              .filter(change -> !change.virtual() && Status.OFFLINE.wire().equals(change.status()))
              .forEach(change -> vertx.eventBus().send(Addresses.ROUTER_NODE_LOST,
                  new JsonObject().put("user", change.user())))));
    });
  }

  private Future<List<PresenceChange>> publish(Future<List<PresenceChange>> changes) {
    return changes.onSuccess(list -> list.forEach(change -> {
      vertx.eventBus().publish(Addresses.PRESENCE_CHANGED, change.toJson());
      Status status = Status.parse(change.status());
      if (!change.virtual() && status != Status.OFFLINE) {
        handlingRules.statusChanged(change.user(), status);
      }
    }));
  }

  private static JsonObject toJson(List<PresenceChange> presence) {
    JsonArray array = new JsonArray();
    presence.forEach(change -> array.add(change.toJson()));
    return new JsonObject().put("presence", array);
  }
}
