package io.switchboard.store.redis;

import io.switchboard.contract.PresenceChange;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the copies a virtual user holds of its members (profile and status, at a revision) up to date: the
 * per-virtual-user step of every profile update and presence change, safe in any order because a copy only takes
 * a newer snapshot. Reports the virtual users' aggregate changes, each once, by the step that made it.
 */
final class MemberCopies {

  private final RedisConnector redis;

  MemberCopies(RedisConnector redis) {
    this.redis = redis;
  }

  /** Applies a member's snapshot to each of its virtual users; returns the aggregate changes that caused. */
  Future<List<PresenceChange>> propagate(String member, MemberSnapshot snapshot, List<String> virtualUsers) {
    return RedisReplies.all(virtualUsers,
            id -> redis.eval(Script.APPLY_MEMBER, RedisKeys.virtualUser(id).copies(), snapshot.args(member)))
        .map(aggregates -> {
          List<PresenceChange> changes = new ArrayList<>();
          for (int i = 0; i < virtualUsers.size(); i++) {
            if (aggregates.get(i) != null) {
              changes.add(new PresenceChange(virtualUsers.get(i), aggregates.get(i).toString(), true));
            }
          }
          return changes;
        });
  }
}
