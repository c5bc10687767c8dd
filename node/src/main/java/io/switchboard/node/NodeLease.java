package io.switchboard.node;

import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.presence.Evictions;
import io.switchboard.store.LeaseRenewal;
import io.switchboard.store.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * This node's lease in the store (docs/ARCHITECTURE.md): renewed three times per lease; a node whose lease runs
 * out is judged dead and its sessions are disconnected. A renewal that finds the lease taken away (this node stalled
 * or lost the store for longer than a lease and was evicted) takes it anew and has the node announce its sessions
 * again at once; one that finds the store lost everything it held (restarted empty, or flushed) has the node restore
 * what it can. On start the node first evicts what a previous process with its id left behind; on a planned stop it
 * gives its lease up, so that its users are offline everywhere at once rather than after a lease.
 */
final class NodeLease {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);

  private final Vertx vertx;
  private final PresenceStore presence;
  private final String nodeId;
  private final Duration lease;
  private final Clock clock;
  private final Evictions evictions;
  private final SwitchboardMetrics metrics;
  private Runnable onLost = () -> { };
  private Runnable onReset = () -> { };
  /** The store's epoch as this node knows it (null until its first renewal). */
  private volatile String epoch;
  private long timer = -1;

  NodeLease(Vertx vertx, PresenceStore presence, String nodeId, Duration lease, Clock clock) {
    this.vertx = vertx;
    this.presence = presence;
    this.nodeId = nodeId;
    this.lease = lease;
    this.clock = clock;
    this.evictions = new Evictions(vertx, presence);
    this.metrics = SwitchboardMetrics.of(vertx);
  }

  /**
   * What to do when the lease was taken away (announce the sessions again) and when the store lost everything
   * (restore, then announce); both are called on an event loop.
   */
  void onChange(Runnable lost, Runnable reset) {
    this.onLost = lost;
    this.onReset = reset;
  }

  /** Evicts a previous process of this id, takes the lease and starts renewing it. */
  Future<Void> acquire() {
    return evictSelf("started again").compose(evicted -> renew()).onSuccess(first -> {
      timer = vertx.setPeriodic(Math.max(1, lease.toMillis() / 3), id -> renew()
          .onSuccess(renewal -> {
            switch (renewal.state()) {
              case HELD -> { }
              case LOST -> {
                LOG.warn("node {} had lost its lease (the cluster judged it dead): announcing its sessions again", nodeId);
                onLost.run();
              }
              case RESET -> onReset.run();
              // another node is disconnecting this node's sessions: announce them once that is over (LOST)
              case EVICTING -> LOG.warn("node {} is being evicted (the cluster judged it dead): its sessions are "
                  + "announced again once that is over", nodeId);
            }
          })
          .onFailure(failure -> LOG.warn("could not renew the lease of node {}: {}", nodeId, failure.getMessage())));
    }).mapEmpty();
  }

  /** Stops renewing and gives the lease up with every session this node still holds. */
  Future<Void> release() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return evictSelf("is stopping");
  }

  private Future<LeaseRenewal> renew() {
    return presence.renewLease(nodeId, clock.millis() + lease.toMillis(), epoch)
        .onSuccess(renewal -> {
          epoch = renewal.epoch();
          metrics.leaseRenewed();
        });
  }

  private Future<Void> evictSelf(String why) {
    return evictions.evict(nodeId, why);
  }
}
