package io.switchboard.store.redis;

import io.switchboard.contract.Status;
import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.VirtualUserStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The directory on Redis. {@link #putUser} and {@link #putVirtualUser} span several tags: the id is claimed in the
 * directory first, then stored, then the members' copies in virtual users are refreshed. Until then a new virtual
 * user routes as not found; copies carry the member's revision, so an older snapshot never replaces a newer one.
 */
final class RedisDirectory implements DirectoryStore {

  private final RedisConnector redis;
  private final MemberCopies copies;
  private final ParsedDirectory parsed;

  RedisDirectory(RedisConnector redis, MemberCopies copies, ParsedDirectory parsed) {
    this.redis = redis;
    this.copies = copies;
    this.parsed = parsed;
  }

  @Override
  public Future<Void> putUser(User user) {
    RedisKeys.UserKeys keys = RedisKeys.user(user.id());
    List<String> profileKeys = new ArrayList<>(keys.snapshot());
    profileKeys.add(keys.capacity());
    return redis.eval(Script.CLAIM_ID, List.of(RedisKeys.DIRECTORY), List.of(ParsedDirectory.USER, user.id()))
        .compose(claimed -> redis.eval(Script.PUT_PROFILE, profileKeys, List.of(user.toJson().encode(),
            user.maxConversations() == null ? "" : user.maxConversations().toString())))
        .compose(stored -> copies.propagate(user.id(), MemberSnapshot.from(stored, 0), RedisReplies.strings(stored.get(3))))
        .onSuccess(done -> parsed.learnKind(user.id(), ParsedDirectory.USER))
        .mapEmpty();
  }

  @Override
  public Future<Void> putVirtualUser(VirtualUser virtualUser) {
    List<String> claim = Stream.concat(Stream.of(ParsedDirectory.VIRTUAL, virtualUser.id()), virtualUser.members().stream()).toList();
    return redis.eval(Script.CLAIM_ID, List.of(RedisKeys.DIRECTORY), claim)
        .compose(claimed -> RedisReplies.all(virtualUser.members(), member -> redis.eval(Script.JOIN_VIRTUAL_USER,
            RedisKeys.user(member).snapshot(), List.of(virtualUser.id()))))
        .compose(snapshots -> {
          List<String> args = new ArrayList<>(List.of(virtualUser.toJson().encode(), String.join("\n", virtualUser.members()),
              Long.toString(virtualUser.historyRetention().toMillis())));
          for (int i = 0; i < snapshots.size(); i++) {
            args.addAll(MemberSnapshot.from(snapshots.get(i), 0).args(virtualUser.members().get(i)));
          }
          return redis.eval(Script.PUT_VIRTUAL_USER, RedisKeys.virtualUser(virtualUser.id()).copies(), args);
        })
        .compose(removed -> RedisReplies.all(RedisReplies.strings(removed), member ->
            redis.send(Request.cmd(Command.SREM, RedisKeys.user(member).virtualUsers(), virtualUser.id()))))
        .onSuccess(done -> parsed.learnKind(virtualUser.id(), ParsedDirectory.VIRTUAL))
        .mapEmpty();
  }

  @Override
  public Future<User> user(String id) {
    return redis.send(Request.cmd(Command.GET, RedisKeys.user(id).profile()))
        .map(profile -> profile == null ? null : User.fromJson(new JsonObject(profile.toString())));
  }

  @Override
  public Future<VirtualUser> virtualUser(String id) {
    return redis.send(Request.cmd(Command.HGET, RedisKeys.virtualUser(id).definition(), "json"))
        .map(json -> json == null ? null : VirtualUser.fromJson(new JsonObject(json.toString())));
  }

  @Override
  public Future<List<String>> virtualUsersOf(String member) {
    return redis.send(Request.cmd(Command.SMEMBERS, RedisKeys.user(member).virtualUsers()))
        .map(ids -> RedisReplies.strings(ids).stream().sorted().toList());
  }

  /** Definitions read per batch: enough to keep the connection busy, well inside its queue. */
  private static final int SNAPSHOT_BATCH = 256;

  @Override
  public Future<DirectoryFile> snapshot() {
    return redis.send(Request.cmd(Command.HGETALL, RedisKeys.DIRECTORY)).compose(kinds -> {
      List<String> users = new ArrayList<>();
      List<String> virtualUsers = new ArrayList<>();
      for (int i = 0; i + 1 < kinds.size(); i += 2) {
        (ParsedDirectory.VIRTUAL.equals(kinds.get(i + 1).toString()) ? virtualUsers : users).add(kinds.get(i).toString());
      }
      return inBatches(users, this::user).compose(readUsers -> inBatches(virtualUsers, this::virtualUser)
          .map(readVirtualUsers -> new DirectoryFile(present(readUsers), present(readVirtualUsers))));
    });
  }

  /** Reads one batch after the other, so that a large directory never fills the connection's queue. */
  private static <T> Future<List<T>> inBatches(List<String> ids, Function<String, Future<T>> read) {
    Future<List<T>> all = Future.succeededFuture(new ArrayList<>());
    for (int from = 0; from < ids.size(); from += SNAPSHOT_BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + SNAPSHOT_BATCH));
      all = all.compose(sofar -> Future.all(batch.stream().map(read).toList()).map(done -> {
        sofar.addAll(done.<T>list());
        return sofar;
      }));
    }
    return all;
  }

  /** What was read, without what vanished meanwhile. */
  private static <T> List<T> present(List<T> read) {
    return read.stream().filter(Objects::nonNull).toList();
  }

  @Override
  public Future<VirtualUserStatus> virtualUserStatus(String id) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(id);
    return redis.eval(Script.VIRTUAL_USER_STATUS, List.of(keys.definition(), keys.members(), keys.status()), List.of())
        .compose(found -> {
          if (found == null) {
            return Future.succeededFuture();
          }
          List<String> ids = RedisReplies.strings(found.get(0));
          return loads(redis, ids).map(loads -> {
            List<VirtualUserStatus.Member> members = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
              Response status = found.get(1).get(i);
              Response profile = found.get(2).get(i);
              members.add(new VirtualUserStatus.Member(ids.get(i),
                  status == null ? Status.OFFLINE : Status.parse(status.toString()), loads.get(i),
                  profile == null ? null : User.fromJson(new JsonObject(profile.toString())).maxConversations()));
            }
            return new VirtualUserStatus(id, Status.aggregate(members.stream().map(VirtualUserStatus.Member::status).toList()),
                members);
          });
        });
  }

  /**
   * The loads of several members: one MGET on one server; on Redis Cluster one GET each, side by side (the cluster
   * client's MGET across slots does not keep the keys' order).
   */
  static Future<List<Integer>> loads(RedisConnector redis, List<String> members) {
    if (members.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Future<List<Response>> counts;
    if (redis.cluster()) {
      counts = RedisReplies.all(members, member -> redis.send(Request.cmd(Command.GET, RedisKeys.user(member).load())));
    } else {
      Request mget = Request.cmd(Command.MGET);
      members.forEach(member -> mget.arg(RedisKeys.user(member).load()));
      counts = redis.send(mget).map(reply -> {
        List<Response> each = new ArrayList<>(members.size());
        reply.forEach(each::add);
        return each;
      });
    }
    return counts.map(each -> each.stream().map(count -> count == null ? 0 : count.toInteger()).toList());
  }
}
