package io.switchboard.store.memory;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.store.AdaptiveState;
import io.switchboard.store.HandlingState;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The embedded store's handling rules, activations and closings. */
final class InMemoryRules implements RulesStore {

  private final InMemoryData data;

  InMemoryRules(InMemoryData data) {
    this.data = data;
  }

  @Override
  public Future<JsonObject> rules(String user) {
    return data.atomically(() -> data.rules.get(user));
  }

  @Override
  public Future<Void> putRules(String user, JsonObject document) {
    return data.atomically(() -> {
      if (!data.users.containsKey(user)) {
        throw new SwitchboardException(ErrorCode.NOT_FOUND, "no user " + user);
      }
      data.rules.put(user, document.copy());
      data.activations.remove(user);
      return null;
    });
  }

  @Override
  public Future<HandlingState> handlingState(String user, String conversation) {
    return data.atomically(() -> new HandlingState(data.rules.get(user), data.statusOf(user), data.activities.get(user),
        data.activations.getOrDefault(user, Map.of()), data.closingsSent.get(InMemoryData.pairKey(user, conversation))));
  }

  @Override
  public Future<Void> activate(String user, Map<String, Long> activeUntil) {
    return data.atomically(() -> {
      Map<String, Long> active = data.activations.computeIfAbsent(user, k -> new HashMap<>());
      activeUntil.forEach((rule, until) -> active.merge(rule, until, Math::max));
      return null;
    });
  }

  @Override
  public Future<JsonObject> defaultRules() {
    return data.atomically(() -> data.defaultRules == null ? null : data.defaultRules.copy());
  }

  @Override
  public Future<Void> putDefaultRules(JsonObject document) {
    return data.atomically(() -> {
      data.defaultRules = document.copy();
      return null;
    });
  }

  @Override
  public Future<Void> addFeedback(String user, JsonObject feedback) {
    return data.atomically(() -> {
      InMemoryData.append(data.feedback.computeIfAbsent(user, k -> InMemoryData.deque()), feedback.copy(),
          FEEDBACK_LIMIT);
      return null;
    });
  }

  @Override
  public Future<Integer> observe(Map<String, List<JsonObject>> observationsByUser) {
    return data.atomically(() -> {
      int trimmed = 0;
      for (Map.Entry<String, List<JsonObject>> entry : observationsByUser.entrySet()) {
        String user = entry.getKey();
        String activity = data.activities.get(user);
        Deque<JsonObject> observations = data.observations.computeIfAbsent(user, k -> InMemoryData.deque());
        for (JsonObject observation : entry.getValue()) {
          JsonObject stamped = observation.copy().put("status", data.statusOf(user).wire());
          if (activity == null) {
            stamped.remove("activity");
          } else {
            stamped.put("activity", activity);
          }
          if (observations.size() >= OBSERVATION_LIMIT) {
            trimmed++;
          }
          InMemoryData.append(observations, stamped, OBSERVATION_LIMIT);
        }
      }
      return trimmed;
    });
  }

  @Override
  public Future<AdaptiveState> adaptiveState(String user) {
    return data.atomically(() -> new AdaptiveState(
        data.feedback.getOrDefault(user, new ArrayDeque<>()).stream().map(JsonObject::copy).toList(),
        data.observations.getOrDefault(user, new ArrayDeque<>()).stream().map(JsonObject::copy).toList(),
        new HashSet<>(data.dismissed.getOrDefault(user, new ArrayDeque<>()))));
  }

  @Override
  public Future<Void> dismiss(String user, String key) {
    return data.atomically(() -> {
      Deque<String> keys = data.dismissed.computeIfAbsent(user, k -> InMemoryData.deque());
      keys.remove(key);
      InMemoryData.append(keys, key, DISMISSED_LIMIT);
      return null;
    });
  }

  @Override
  public Future<Void> closingSent(String user, String conversation, long ts) {
    return data.atomically(() -> {
      data.closingsSent.merge(InMemoryData.pairKey(user, conversation), ts, Math::max);
      return null;
    });
  }
}
