package io.switchboard.store.memory;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.store.LeaseRenewal;
import io.switchboard.store.PresenceStore;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The embedded store's presence and leases. */
final class InMemoryPresence implements PresenceStore {

  private final InMemoryData data;

  InMemoryPresence(InMemoryData data) {
    this.data = data;
  }

  @Override
  public Future<List<PresenceChange>> connect(SessionRef session) {
    return data.atomically(() -> {
      Map<String, String> userSessions = data.sessions.computeIfAbsent(session.user(), k -> new HashMap<>());
      boolean known = userSessions.put(session.session(), session.gateway()) != null;
      InMemoryData.setIn(data.sessionsOfNode, session.node()).add(session);
      return !known && userSessions.size() == 1 ? data.changeStatus(session.user(), Status.ONLINE) : List.of();
    });
  }

  @Override
  public Future<List<PresenceChange>> disconnect(SessionRef session) {
    return data.atomically(() -> {
      Set<SessionRef> ofNode = data.sessionsOfNode.get(session.node());
      if (ofNode != null && ofNode.remove(session) && ofNode.isEmpty()) {
        data.sessionsOfNode.remove(session.node());
      }
      Map<String, String> userSessions = data.sessions.get(session.user());
      if (userSessions == null || userSessions.remove(session.session()) == null || !userSessions.isEmpty()) {
        return List.of();
      }
      data.sessions.remove(session.user());
      data.activities.remove(session.user());
      return data.changeStatus(session.user(), Status.OFFLINE);
    });
  }

  @Override
  public Future<List<PresenceChange>> setStatus(StatusRequest request) {
    return data.atomically(() -> {
      if (!data.sessions.containsKey(request.user())) {
        return List.of();
      }
      if (request.activity() == null) {
        data.activities.remove(request.user());
      } else {
        data.activities.put(request.user(), request.activity());
      }
      return data.changeStatus(request.user(), request.status());
    });
  }

  @Override
  public Future<List<PresenceChange>> presence(Collection<String> ids) {
    return data.atomically(() -> {
      List<String> unknown = ids.stream()
          .filter(id -> !data.users.containsKey(id) && !data.virtualUsers.containsKey(id)).toList();
      if (!unknown.isEmpty()) {
        throw new SwitchboardException(ErrorCode.NOT_FOUND, "no such user: " + String.join(", ", unknown));
      }
      return ids.stream().map(id -> data.virtualUsers.containsKey(id)
          ? new PresenceChange(id, data.aggregate(data.virtualUsers.get(id)).wire(), true)
          : new PresenceChange(id, data.statusOf(id).wire(), false)).toList();
    });
  }

  @Override
  public Future<Map<String, List<String>>> gatewaysOf(Collection<String> users) {
    return data.atomically(() -> {
      Map<String, List<String>> gateways = new LinkedHashMap<>();
      users.forEach(user -> gateways.put(user, data.gatewaysOf(user)));
      return gateways;
    });
  }

  /** The embedded store lives as long as its node: its epoch never changes. */
  private static final String EPOCH = "embedded";

  @Override
  public Future<LeaseRenewal> renewLease(String node, long expiresAt, String epoch) {
    return data.atomically(() -> {
      Long evicting = data.evictions.get(node);
      if (evicting != null && evicting > System.currentTimeMillis()) {
        return new LeaseRenewal(LeaseRenewal.State.EVICTING, EPOCH);
      }
      data.evictions.remove(node);
      return new LeaseRenewal(data.leases.put(node, expiresAt) != null
          ? LeaseRenewal.State.HELD : LeaseRenewal.State.LOST, EPOCH);
    });
  }

  @Override
  public Future<List<String>> expiredNodes(long now) {
    return data.atomically(() -> data.leases.entrySet().stream().filter(lease -> lease.getValue() < now)
        .map(Map.Entry::getKey).sorted().toList());
  }

  @Override
  public Future<List<SessionRef>> evictNode(String node) {
    return data.atomically(() -> {
      if (data.leases.remove(node) == null) {
        return List.of();
      }
      Set<SessionRef> held = data.sessionsOfNode.get(node);
      if (held == null || held.isEmpty()) {
        return List.of();
      }
      data.evictions.put(node, System.currentTimeMillis() + EVICTION_MILLIS);
      return List.copyOf(held);
    });
  }

  @Override
  public Future<Void> evicted(String node) {
    return data.atomically(() -> {
      data.evictions.remove(node);
      return null;
    });
  }
}
