package io.switchboard.presence;

import io.switchboard.contract.Addresses;
import io.switchboard.store.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts a node: claims it in the store (once, whoever comes first), disconnects every session it held, publishing
 * each presence change, and publishes {@link Addresses#NODE_EVICTED}. The users go offline; their conversations wait
 * for the disconnect grace, so users that reconnect elsewhere carry on.
 */
public final class Evictions {

  private static final Logger LOG = LoggerFactory.getLogger(Evictions.class);

  private final Vertx vertx;
  private final PresenceStore presence;

  public Evictions(Vertx vertx, PresenceStore presence) {
    this.vertx = vertx;
    this.presence = presence;
  }

  /** Completes once every session of the node is disconnected; {@code why} is for the log. */
  public Future<Void> evict(String node, String why) {
    return presence.evictNode(node).compose(sessions -> {
      if (!sessions.isEmpty()) {
        LOG.warn("node {} {}: disconnecting its {} sessions", node, why, sessions.size());
      }
      vertx.eventBus().publish(Addresses.NODE_EVICTED, new JsonObject().put("node", node));
      Future<Void> disconnected = Future.all(sessions.stream().map(session -> presence.disconnect(session)
          .onSuccess(changes -> changes.forEach(change ->
              vertx.eventBus().publish(Addresses.PRESENCE_CHANGED, change)))).toList()).mapEmpty();
      // Only now may the node, should it live, take its lease again and announce its sessions anew.
      return sessions.isEmpty() ? disconnected : disconnected.eventually(() -> presence.evicted(node));
    });
  }
}
