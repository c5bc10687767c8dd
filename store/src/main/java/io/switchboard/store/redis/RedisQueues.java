package io.switchboard.store.redis;

import io.switchboard.directory.QueuePolicy;
import io.switchboard.store.QueueChange;
import io.switchboard.store.QueueEntry;
import io.switchboard.store.QueueStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Queues on Redis: each virtual user's queue is a sorted set (score minus the priority; members start with a
 * zero-padded arrival number, so equal priorities keep arrival order) beside a hash of its entries, under the
 * virtual user's hash tag; every step is one script.
 */
final class RedisQueues implements QueueStore {

  private final RedisConnector redis;

  RedisQueues(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public Future<QueueChange> enqueue(QueueEntry entry, QueuePolicy policy) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(entry.destination());
    return redis.eval(Script.ENQUEUE, keys.queueKeys(), List.of(entry.key(), entry.toJson().encode(),
            String.valueOf(entry.priority()), String.valueOf(policy.maxWaiting()),
            policy.bypassPriority() == null ? "" : String.valueOf(policy.bypassPriority()),
            String.valueOf(QueuePolicy.HARD_LIMIT), String.valueOf(entry.arrival())))
        .map(reply -> {
          Long mean = meanOf(reply.get(3));
          int position = reply.get(0).toInteger();
          if (position == 0) {
            return QueueChange.none(mean);
          }
          QueueEntry added = entry.withArrival(arrivalOf(reply.get(1).toString()));
          return new QueueChange(added, position, waiting(reply.get(2), position + 1), mean);
        });
  }

  @Override
  public Future<QueueChange> take(String destination, String key, String node) {
    return dequeue(destination, key, node);
  }

  @Override
  public Future<QueueChange> remove(String destination, String key) {
    return dequeue(destination, key, "");
  }

  @Override
  public Future<Integer> returnOffered(String destination, String node) {
    return redis.eval(Script.QUEUE_RETURN, RedisKeys.virtualUser(destination).queueKeys(), List.of(node))
        .map(Response::toInteger);
  }

  private Future<QueueChange> dequeue(String destination, String key, String node) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(destination);
    return redis.eval(Script.DEQUEUE, keys.queueKeys(), List.of(key, node)).map(reply -> {
      Long mean = meanOf(reply.get(3));
      String stored = reply.get(0).toString();
      if (stored.isEmpty()) {
        return QueueChange.none(mean);
      }
      return new QueueChange(entryOf(stored), 0, waiting(reply.get(2), reply.get(1).toInteger() + 1), mean);
    });
  }

  @Override
  public Future<Void> recordHandling(String destination, long millis) {
    return redis.eval(Script.RECORD_HANDLING, List.of(RedisKeys.virtualUser(destination).handlingTimes()),
        List.of(String.valueOf(millis), String.valueOf(HANDLING_SAMPLES))).mapEmpty();
  }

  @Override
  public Future<List<QueueEntry>> waiting(String destination, int limit) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(destination);
    return redis.eval(Script.QUEUE_HEAD, List.of(keys.queue(), keys.queueEntries()), List.of(String.valueOf(limit)))
        .map(reply -> RedisReplies.strings(reply).stream().map(RedisQueues::entryOf).toList());
  }

  /** Stored values of consecutive entries, the first at {@code firstPosition}. */
  private static List<QueueChange.Waiting> waiting(Response values, int firstPosition) {
    List<QueueChange.Waiting> moved = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      moved.add(new QueueChange.Waiting(entryOf(values.get(i).toString()), firstPosition + i));
    }
    return moved;
  }

  /** An entry from its stored value, {@code <member>\n<JSON>}. */
  private static QueueEntry entryOf(String stored) {
    int newline = stored.indexOf('\n');
    return QueueEntry.fromJson(new JsonObject(stored.substring(newline + 1)), arrivalOf(stored.substring(0, newline)));
  }

  private static long arrivalOf(String member) {
    return Long.parseLong(member.substring(0, member.indexOf(':')));
  }

  private static Long meanOf(Response samples) {
    if (samples.size() == 0) {
      return null;
    }
    long sum = 0;
    for (int i = 0; i < samples.size(); i++) {
      sum += samples.get(i).toLong();
    }
    return Math.round((double) sum / samples.size());
  }
}
