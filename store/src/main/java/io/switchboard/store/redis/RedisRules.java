package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.store.AdaptiveState;
import io.switchboard.store.HandlingState;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Handling rules, activations and closings on Redis: all with the user's keys. */
final class RedisRules implements RulesStore {

  private final RedisConnector redis;

  RedisRules(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public Future<JsonObject> rules(String user) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.user(user).rules()))
        .map(json -> json == null ? null : new JsonObject(json.toString()));
  }

  @Override
  public Future<Void> putRules(String user, JsonObject document) {
    RedisKeys.UserKeys keys = RedisKeys.user(user);
    return redis.send(Request.cmd(Command.EXISTS).arg(keys.profile())).compose(known -> known.toInteger() == 0
        ? Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "no user " + user))
        : redis.send(Request.cmd(Command.SET).arg(keys.rules()).arg(document.encode()))
            .compose(set -> redis.send(Request.cmd(Command.DEL).arg(keys.activations())))
            .mapEmpty());
  }

  @Override
  public Future<HandlingState> handlingState(String user, String conversation) {
    return redis.eval(Script.HANDLING_STATE, RedisKeys.user(user).handling(), List.of(conversation))
        .map(state -> {
          Map<String, Long> activeUntil = new LinkedHashMap<>();
          Response activations = state.get(3);
          for (int i = 0; i + 1 < activations.size(); i += 2) {
            activeUntil.put(activations.get(i).toString(), activations.get(i + 1).toLong());
          }
          Status status = state.get(1) == null ? Status.OFFLINE : Status.parse(state.get(1).toString());
          return new HandlingState(state.get(0) == null ? null : new JsonObject(state.get(0).toString()), status,
              state.get(2) == null ? null : state.get(2).toString(), activeUntil,
              state.get(4) == null ? null : state.get(4).toLong());
        });
  }

  @Override
  public Future<Void> activate(String user, Map<String, Long> activeUntil) {
    List<String> pairs = new ArrayList<>();
    activeUntil.forEach((rule, until) -> {
      pairs.add(rule);
      pairs.add(Long.toString(until));
    });
    return pairs.isEmpty() ? Future.succeededFuture()
        : redis.eval(Script.KEEP_LATEST, List.of(RedisKeys.user(user).activations()), pairs).mapEmpty();
  }

  @Override
  public Future<JsonObject> defaultRules() {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.DEFAULT_RULES))
        .map(json -> json == null ? null : new JsonObject(json.toString()));
  }

  @Override
  public Future<Void> putDefaultRules(JsonObject document) {
    return redis.send(Request.cmd(Command.SET).arg(RedisKeys.DEFAULT_RULES).arg(document.encode())).mapEmpty();
  }

  @Override
  public Future<Void> addFeedback(String user, JsonObject feedback) {
    return redis.eval(Script.PUSH_BOUNDED, List.of(RedisKeys.user(user).feedback()),
        List.of(feedback.encode(), Integer.toString(FEEDBACK_LIMIT), "0")).mapEmpty();
  }

  /**
   * One step for every user on a single server; on Redis Cluster, where each user's keys hash to a slot of their own,
   * one step per user, side by side.
   */
  @Override
  public Future<Integer> observe(Map<String, List<JsonObject>> observationsByUser) {
    if (redis.cluster()) {
      return RedisReplies.all(List.copyOf(observationsByUser.entrySet()), entry -> observeStep(Map.ofEntries(entry)))
          .map(trimmed -> trimmed.stream().mapToInt(Response::toInteger).sum());
    }
    return observeStep(observationsByUser).map(Response::toInteger);
  }

  private Future<Response> observeStep(Map<String, List<JsonObject>> observationsByUser) {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>(List.of(Integer.toString(OBSERVATION_LIMIT)));
    observationsByUser.forEach((user, observations) -> {
      RedisKeys.UserKeys userKeys = RedisKeys.user(user);
      keys.add(userKeys.observations());
      keys.add(userKeys.presence());
      args.add(Integer.toString(observations.size()));
      for (JsonObject observation : observations) {
        // the store stamps the status and activity, whatever the caller said
        JsonObject unstamped = observation;
        if (observation.containsKey("status") || observation.containsKey("activity")) {
          unstamped = observation.copy();
          unstamped.remove("status");
          unstamped.remove("activity");
        }
        args.add(unstamped.encode());
      }
    });
    return redis.eval(Script.OBSERVE, keys, args);
  }

  @Override
  public Future<AdaptiveState> adaptiveState(String user) {
    RedisKeys.UserKeys keys = RedisKeys.user(user);
    return redis.eval(Script.ADAPTIVE_STATE, List.of(keys.feedback(), keys.observations(), keys.dismissed()),
            List.of())
        .map(state -> new AdaptiveState(RedisReplies.strings(state.get(0)).stream().map(JsonObject::new).toList(),
            RedisReplies.strings(state.get(1)).stream().map(JsonObject::new).toList(),
            new HashSet<>(RedisReplies.strings(state.get(2)))));
  }

  @Override
  public Future<Void> dismiss(String user, String key) {
    return redis.eval(Script.PUSH_BOUNDED, List.of(RedisKeys.user(user).dismissed()),
        List.of(key, Integer.toString(DISMISSED_LIMIT), "1")).mapEmpty();
  }

  @Override
  public Future<Void> closingSent(String user, String conversation, long ts) {
    return redis.eval(Script.KEEP_LATEST, List.of(RedisKeys.user(user).closings()), List.of(conversation, Long.toString(ts)))
        .mapEmpty();
  }
}
