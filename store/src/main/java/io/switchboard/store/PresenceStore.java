package io.switchboard.store;

import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.StatusRequest;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Presence (docs/PRODUCT.md §Presence) and the nodes' leases (docs/ARCHITECTURE.md). Each presence change returns the statuses it changed:
 * the user's and its virtual users' aggregates, each reported once, by the call that made it.
 */
public interface PresenceStore {

  /** Records a session (with the node and gateway that hold it); its user is online when it is its first. */
  Future<List<PresenceChange>> connect(SessionRef session);

  /** Forgets a session; its user is offline when it was its last. */
  Future<List<PresenceChange>> disconnect(SessionRef session);

  /** Sets the status of a connected user (a user with no session keeps offline). */
  Future<List<PresenceChange>> setStatus(StatusRequest request);

  /** The current status of each id, in order; fails {@code not_found} naming the ids that are nobody. */
  Future<List<PresenceChange>> presence(Collection<String> ids);

  /** The gateways holding sessions of each user (an empty list for a user with none). */
  Future<Map<String, List<String>>> gatewaysOf(Collection<String> users);

  // --- nodes: every node holds a lease; a node whose lease ran out is dead

  /**
   * Records that {@code node} lives until {@code expiresAt} (epoch ms), and tells whether it still held its lease and
   * whether the store still has the epoch {@code epoch} the node knew (null at a node's first renewal, which learns
   * it): a store that restarted empty, or was flushed, starts a new epoch.
   */
  Future<LeaseRenewal> renewLease(String node, long expiresAt, String epoch);

  /** The nodes whose lease ran out before {@code now}. */
  Future<List<String>> expiredNodes(long now);

  /**
   * Claims a node (dead, or leaving) and returns the sessions it held, once: a second call, from any node, returns
   * none. The caller disconnects each of them, then calls {@link #evicted}; until then (at most
   * {@link #EVICTION_MILLIS}) the node's renewals answer {@link LeaseRenewal.State#EVICTING}. A claimed node that held
   * no session is not marked.
   */
  Future<List<SessionRef>> evictNode(String node);

  /** The eviction of {@code node} is over: its next renewal takes the lease anew. */
  Future<Void> evicted(String node);

  /** Longest an eviction keeps a node from renewing, should its evictor die before calling {@link #evicted}. */
  long EVICTION_MILLIS = 30_000;
}
