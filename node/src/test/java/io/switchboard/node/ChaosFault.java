package io.switchboard.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fault a chaos scenario injects into its cluster. {@link #inject} starts it and returns a future that completes,
 * with a note on what happened, once the fault is over: at once for a kill or a flush, after the fault's duration
 * for a frozen node or a Redis outage (a timer: the duration is the fault, not a synchronisation).
 * {@code removedNodes} are gone for good; {@code conversationsSurvive} is false only where the fault destroys the
 * conversations themselves (a flushed store), so that their ending is reported and not held against the cluster.
 */
record ChaosFault(String description, List<String> removedNodes, boolean conversationsSurvive, Injection injection) {

  interface Injection {
    CompletableFuture<String> inject(ChaosCluster cluster, ScheduledExecutorService timer);
  }

  CompletableFuture<String> inject(ChaosCluster cluster, ScheduledExecutorService timer) {
    return injection.inject(cluster, timer);
  }

  /** No fault at all: the load alone, so that what the other scenarios find can be told from what load does. */
  static ChaosFault none() {
    return new ChaosFault("none (the load alone)", List.of(), true,
        (cluster, timer) -> CompletableFuture.completedFuture("nothing injected"));
  }

  static ChaosFault killNode(String node) {
    return new ChaosFault("kill -9 of node " + node, List.of(node), true, (cluster, timer) -> {
      cluster.node(node).kill();
      return CompletableFuture.completedFuture("node " + node + " killed");
    });
  }

  static ChaosFault terminateNode(String node) {
    return new ChaosFault("SIGTERM of node " + node, List.of(node), true, (cluster, timer) -> {
      long start = System.nanoTime();
      int exit = cluster.node(node).terminate(Duration.ofSeconds(30));
      return CompletableFuture.completedFuture("node " + node + " exited with code " + exit + " after "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    });
  }

  static ChaosFault freezeNode(String node, Duration duration) {
    return new ChaosFault("SIGSTOP of node " + node + " for " + duration.toMillis() + " ms (lease "
        + ChaosCluster.LEASE.toMillis() + " ms), then SIGCONT", List.of(), true, (cluster, timer) -> {
      NodeProcess frozen = cluster.node(node);
      frozen.freeze();
      CompletableFuture<String> thawed = new CompletableFuture<>();
      timer.schedule(() -> {
        frozen.thaw();
        thawed.complete("node " + node + " frozen for " + duration.toMillis() + " ms");
      }, duration.toMillis(), TimeUnit.MILLISECONDS);
      return thawed;
    });
  }

  static ChaosFault restartRedis(Duration down) {
    return new ChaosFault("Redis killed (SIGKILL) and restarted on its port after " + down.toMillis()
        + " ms (appendonly, fsync always)", List.of(), true, (cluster, timer) -> {
      cluster.redis.kill();
      CompletableFuture<String> restarted = new CompletableFuture<>();
      timer.schedule(() -> {
        try {
          cluster.redis.start();
          restarted.complete("Redis down for " + down.toMillis() + " ms");
        } catch (RuntimeException failed) {
          restarted.completeExceptionally(failed);
        }
      }, down.toMillis(), TimeUnit.MILLISECONDS);
      return restarted;
    });
  }

  static ChaosFault flushRedis() {
    return new ChaosFault("Redis flushed (FLUSHALL)", List.of(), false, (cluster, timer) -> {
      cluster.redis.flushAll();
      return CompletableFuture.completedFuture("every key removed");
    });
  }
}
