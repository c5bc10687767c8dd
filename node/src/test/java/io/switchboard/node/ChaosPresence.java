package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Watches, in rounds from the fault on, whether every client of the load is connected and {@code online} as seen
 * from every node that serves: each round logs a watcher in through each node afresh and watches them all. Presence
 * has recovered at the first round of the good streak that lasts to the end.
 */
final class ChaosPresence {

  private static final long ROUND_MILLIS = 500;

  private final ChaosCluster cluster;
  private final List<ChaosParty> parties;
  private final Supplier<List<NodeProcess>> serving;
  private volatile boolean stopped;
  private volatile long goodSinceNanos;
  /** The problems the last round found, by node (or "clients" for those not connected); empty when good. */
  private volatile Map<String, List<String>> lastProblems = Map.of("clients", List.of("no round yet"));
  private volatile int rounds;

  ChaosPresence(ChaosCluster cluster, List<ChaosParty> parties, Supplier<List<NodeProcess>> serving) {
    this.cluster = cluster;
    this.parties = parties;
    this.serving = serving;
  }

  void start(ScheduledExecutorService executor, long faultNanos) {
    executor.execute(() -> round(executor, faultNanos));
  }

  private void round(ScheduledExecutorService executor, long faultNanos) {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    Map<String, List<String>> problems = problems();
    lastProblems = problems;
    rounds++;
    if (!problems.isEmpty()) {
      goodSinceNanos = 0;
    } else if (goodSinceNanos == 0) {
      goodSinceNanos = Math.max(1, started - faultNanos);
    }
    executor.schedule(() -> round(executor, faultNanos), ROUND_MILLIS, TimeUnit.MILLISECONDS);
  }

  private Map<String, List<String>> problems() {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    List<String> disconnected = parties.stream().filter(party -> !party.connected()).map(party -> party.user).toList();
    if (!disconnected.isEmpty()) {
      problems.put("clients", disconnected.stream().map(user -> user + " not connected").toList());
    }
    List<String> users = parties.stream().map(party -> party.user).toList();
    for (NodeProcess node : serving.get()) {
      List<String> wrong = notOnline(node, users);
      if (!wrong.isEmpty()) {
        problems.put(node.nodeId, wrong);
      }
    }
    return problems;
  }

  /** The users not seen online through {@code node}, with their status; or why it could not be asked. */
  private List<String> notOnline(NodeProcess node, List<String> users) {
    TestClient watcher;
    try {
      watcher = cluster.login(node, ChaosLoad.WATCHER);
    } catch (IllegalStateException refused) {
      return List.of("watcher cannot log in: " + refused.getMessage());
    } catch (AssertionError unanswered) {
      return List.of("watcher login not answered: " + String.valueOf(unanswered.getMessage()).lines().findFirst().orElse(""));
    }
    try (watcher) {
      JsonObject watched = watcher.request(new JsonObject().put("type", "watch").put("users", new JsonArray(users)));
      if (!"ok".equals(watched.getString("type"))) {
        return List.of("watch failed: " + watched.encode());
      }
      Map<String, String> status = new HashMap<>();
      while (status.size() < users.size()) {
        JsonObject presence = watcher.next("presence");
        status.putIfAbsent(presence.getString("user"), presence.getString("status"));
      }
      List<String> wrong = new ArrayList<>();
      users.forEach(user -> {
        if (!"online".equals(status.get(user))) {
          wrong.add(user + " " + status.get(user));
        }
      });
      return wrong;
    } catch (RuntimeException | AssertionError failure) {
      return List.of("cannot ask: " + String.valueOf(failure.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /** Milliseconds from the fault to the start of the good streak, or -1 while the last round was not good. */
  long recoveredMillis() {
    long since = goodSinceNanos;
    return since == 0 ? -1 : since / 1_000_000;
  }

  boolean good() {
    return goodSinceNanos != 0;
  }

  Map<String, List<String>> lastProblems() {
    return lastProblems;
  }

  int rounds() {
    return rounds;
  }

  void stop() {
    stopped = true;
  }
}
