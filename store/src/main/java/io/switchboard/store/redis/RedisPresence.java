package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.LeaseRenewal;
import io.switchboard.store.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Presence and leases on Redis. A presence change is the user's step, which decides and reports its own change,
 * then one step per virtual user it belongs to ({@link MemberCopies}); every call sends the user's current snapshot,
 * so a call that failed half way is repaired by the next one. A session joins its node's set before the user's
 * step and leaves it after, so that evicting a node never misses a session that is online. Removing a lease is the
 * claim of an eviction: only one caller removes it.
 */
final class RedisPresence implements PresenceStore {

  private static final String NONE = "";

  private final RedisConnector redis;
  private final MemberCopies copies;
  private final DirectoryStore directory;

  RedisPresence(RedisConnector redis, MemberCopies copies, DirectoryStore directory) {
    this.redis = redis;
    this.copies = copies;
    this.directory = directory;
  }

  @Override
  public Future<List<PresenceChange>> connect(SessionRef session) {
    return redis.send(Request.cmd(Command.SADD, RedisKeys.node(session.node()).sessions(), session.toJson().encode()))
        .compose(added -> changePresence(session.user(), "connect", session.session(), session.gateway(), NONE));
  }

  @Override
  public Future<List<PresenceChange>> disconnect(SessionRef session) {
    return changePresence(session.user(), "disconnect", session.session(), NONE, NONE)
        .compose(changes -> redis.send(Request.cmd(Command.SREM, RedisKeys.node(session.node()).sessions(),
            session.toJson().encode())).map(changes));
  }

  @Override
  public Future<List<PresenceChange>> setStatus(StatusRequest request) {
    return changePresence(request.user(), "status", NONE, request.status().wire(),
        request.activity() == null ? NONE : request.activity());
  }

  /** Runs the user's step of a presence change, then brings its virtual users' copies up to date. */
  private Future<List<PresenceChange>> changePresence(String user, String op, String session, String value, String activity) {
    RedisKeys.UserKeys keys = RedisKeys.user(user);
    return redis.eval(Script.PRESENCE,
            List.of(keys.sessions(), keys.presence(), keys.revision(), keys.profile(), keys.virtualUsers()),
            List.of(op, session, value, activity))
        .compose(result -> copies.propagate(user, MemberSnapshot.from(result, 1), RedisReplies.strings(result.get(4)))
            .map(virtualChanges -> {
              List<PresenceChange> changes = new ArrayList<>();
              if (result.get(0) != null) {
                changes.add(new PresenceChange(user, result.get(0).toString(), false));
              }
              changes.addAll(virtualChanges);
              return changes;
            }));
  }

  @Override
  public Future<List<PresenceChange>> presence(Collection<String> ids) {
    List<String> asked = List.copyOf(ids);
    if (asked.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request kindsOf = Request.cmd(Command.HMGET).arg(RedisKeys.DIRECTORY);
    asked.forEach(kindsOf::arg);
    return redis.send(kindsOf)
        .compose(kinds -> {
          List<String> unknown = new ArrayList<>();
          for (int i = 0; i < asked.size(); i++) {
            if (kinds.get(i) == null) {
              unknown.add(asked.get(i));
            }
          }
          if (!unknown.isEmpty()) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "no such user: " + String.join(", ", unknown)));
          }
          List<Future<PresenceChange>> statuses = new ArrayList<>();
          for (int i = 0; i < asked.size(); i++) {
            String id = asked.get(i);
            statuses.add(ParsedDirectory.VIRTUAL.equals(kinds.get(i).toString())
                ? directory.virtualUserStatus(id).map(status -> new PresenceChange(id,
                    (status == null ? Status.OFFLINE : status.status()).wire(), true))
                : redis.send(Request.cmd(Command.HGET, RedisKeys.user(id).presence(), "status"))
                    .map(status -> new PresenceChange(id, status == null ? Status.OFFLINE.wire() : status.toString(), false)));
          }
          return Future.all(statuses).map(all -> all.<PresenceChange>list());
        });
  }

  @Override
  public Future<Map<String, List<String>>> gatewaysOf(Collection<String> users) {
    List<String> asked = List.copyOf(users);
    return RedisReplies.all(asked, user -> redis.send(Request.cmd(Command.HVALS, RedisKeys.user(user).sessions())))
        .map(replies -> {
          Map<String, List<String>> gateways = new LinkedHashMap<>();
          for (int i = 0; i < asked.size(); i++) {
            gateways.put(asked.get(i), RedisReplies.gateways(replies.get(i)));
          }
          return gateways;
        });
  }

  @Override
  public Future<LeaseRenewal> renewLease(String node, long expiresAt, String epoch) {
    return redis.eval(Script.RENEW_LEASE, List.of(RedisKeys.NODES, RedisKeys.EPOCH, RedisKeys.EVICTIONS),
            List.of(node, Long.toString(expiresAt), epoch == null ? "" : epoch, UUID.randomUUID().toString()))
        .map(renewed -> {
          String now = renewed.get(1).toString();
          LeaseRenewal.State state = epoch != null && !epoch.equals(now) ? LeaseRenewal.State.RESET
              : switch (renewed.get(0).toInteger()) {
                case 1 -> LeaseRenewal.State.HELD;
                case 2 -> LeaseRenewal.State.EVICTING;
                default -> LeaseRenewal.State.LOST;
              };
          return new LeaseRenewal(state, now);
        });
  }

  @Override
  public Future<List<String>> expiredNodes(long now) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE, RedisKeys.NODES, "-inf", "(" + now))
        .map(nodes -> RedisReplies.strings(nodes).stream().sorted().toList());
  }

  @Override
  public Future<List<SessionRef>> evictNode(String node) {
    return redis.eval(Script.CLAIM_NODE, List.of(RedisKeys.NODES, RedisKeys.EVICTIONS),
            List.of(node, Long.toString(EVICTION_MILLIS)))
        .compose(claimed -> claimed.toInteger() == 0 ? Future.succeededFuture(List.<SessionRef>of())
            : redis.send(Request.cmd(Command.SMEMBERS, RedisKeys.node(node).sessions()))
                .map(held -> RedisReplies.strings(held).stream().map(json -> SessionRef.fromJson(new JsonObject(json))).toList())
                // nothing to disconnect: the node may take its lease again at once
                .compose(sessions -> sessions.isEmpty() ? evicted(node).map(sessions) : Future.succeededFuture(sessions)));
  }

  @Override
  public Future<Void> evicted(String node) {
    return redis.send(Request.cmd(Command.ZREM, RedisKeys.EVICTIONS, node)).mapEmpty();
  }
}
