package io.switchboard.presence;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Replies;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.StatusRequest;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.PresenceStore;
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
 * Presence (docs/PROTOCOL.md §Presence): records sessions and statuses in the store, which aggregates virtual users,
 * and publishes every resulting change on {@link Addresses#PRESENCE_CHANGED}. It also watches the nodes' leases: the
 * sessions of a node whose lease ran out are disconnected (their users go offline; their conversations wait for the
 * disconnect grace, so users that reconnect elsewhere carry on), and {@link Addresses#NODE_EVICTED} is published so
 * that requests waiting on that node fail over or fail fast. A virtual user outside its business hours shows
 * {@code away}; its opening and closing are published as changes.
 */
public final class PresenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);
  /** How often business hours are looked at for virtual users that opened or closed. */
  private static final long HOURS_TICK_MILLIS = 1000;

  private final PresenceStore presence;
  private final DirectoryStore directory;
  private final Clock clock;
  private final Duration lease;
  private Evictions evictions;
  private final OpeningHours openingHours = new OpeningHours();
  /** When this node may start evicting: one lease after it last (re)gained the store; MAX_VALUE while it has not. */
  private long judgeLeasesFrom = Long.MAX_VALUE;

  /** @param lease how long a node's lease lasts; expired ones are looked for three times per lease */
  public PresenceVerticle(PresenceStore presence, DirectoryStore directory, Clock clock, Duration lease) {
    this.presence = presence;
    this.directory = directory;
    this.clock = clock;
    this.lease = lease;
  }

  @Override
  public Future<?> start() {
    evictions = new Evictions(vertx, presence);
    vertx.setPeriodic(Math.max(1, lease.toMillis() / 3), id -> evictExpiredNodes());
    vertx.setPeriodic(HOURS_TICK_MILLIS, id -> publishOpeningAndClosing());
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.DIRECTORY_CHANGED, msg -> {
          JsonObject virtualUser = msg.body().getJsonObject("virtualUser");
          if (virtualUser != null) {
            openingHours.learn(VirtualUser.fromJson(virtualUser), clock.instant());
          }
        }).completion(),
        directory.snapshot().onSuccess(snapshot -> snapshot.virtualUsers()
            .forEach(virtualUser -> openingHours.learn(virtualUser, clock.instant()))),
        bus.<SessionRef>consumer(Addresses.PRESENCE_CONNECT,
            msg -> Replies.reply(msg, publish(presence.connect(msg.body())))).completion(),
        bus.<SessionRef>consumer(Addresses.PRESENCE_DISCONNECT,
            msg -> Replies.reply(msg, publish(presence.disconnect(msg.body())))).completion(),
        bus.<StatusRequest>consumer(Addresses.PRESENCE_SET, msg -> Replies.reply(msg,
            publish(presence.setStatus(msg.body())).onSuccess(changes -> activitySet(msg.body(), changes)))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_QUERY, msg -> {
          List<String> ids = msg.body().getJsonArray("users").stream().map(String.class::cast).toList();
          Replies.reply(msg, presence.presence(ids).map(this::shown), PresenceVerticle::toJson);
        }).completion());
  }

  /**
   * Evicts the nodes whose lease ran out. A node judges others' leases only after it has itself reached the store
   * for a whole lease: after a store outage (or at start) every live node gets one lease to renew, so a blip of the
   * store never passes for the death of every node.
   */
  private void evictExpiredNodes() {
    long now = clock.millis();
    presence.expiredNodes(now)
        .onFailure(failure -> {
          judgeLeasesFrom = Long.MAX_VALUE;
          LOG.warn("could not check the nodes' leases: {}", failure.getMessage());
        })
        .onSuccess(nodes -> {
          if (judgeLeasesFrom == Long.MAX_VALUE) {
            judgeLeasesFrom = now + lease.toMillis();
          }
          if (now >= judgeLeasesFrom) {
            nodes.forEach(node -> evictions.evict(node, "lost its lease"));
          }
        });
  }

  /** Publishes the presence of the virtual users that opened or closed since the last look. */
  private void publishOpeningAndClosing() {
    List<String> changed = openingHours.openedOrClosed(clock.instant());
    if (!changed.isEmpty()) {
      publish(presence.presence(changed)).onFailure(failure ->
          LOG.warn("could not publish the presence of {} at opening or closing: {}", changed, failure.getMessage()));
    }
  }

  private List<PresenceChange> shown(List<PresenceChange> changes) {
    return changes.stream().map(change -> openingHours.shown(change, clock.instant())).toList();
  }

  /** Publishes each change; a user's own status change also goes to the rules role (activations, held messages). */
  private Future<List<PresenceChange>> publish(Future<List<PresenceChange>> changes) {
    return changes.map(this::shown).onSuccess(list -> list.forEach(change -> {
      vertx.eventBus().publish(Addresses.PRESENCE_CHANGED, change);
      if (!change.virtual()) {
        vertx.eventBus().send(Addresses.RULES_STATUS, change);
      }
    }));
  }

  /** A status set again with another activity changes no status, but may end holds on the activity. */
  private void activitySet(StatusRequest request, List<PresenceChange> changes) {
    if (changes.stream().noneMatch(change -> !change.virtual() && change.user().equals(request.user()))) {
      vertx.eventBus().send(Addresses.RULES_CHECK_HOLDS, new JsonObject().put("user", request.user()));
    }
  }

  private static JsonObject toJson(List<PresenceChange> presence) {
    JsonArray array = new JsonArray();
    presence.forEach(change -> array.add(change.toJson()));
    return new JsonObject().put("presence", array);
  }
}
