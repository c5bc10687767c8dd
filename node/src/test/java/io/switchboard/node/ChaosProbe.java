package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Asks, from a fault on, whether one node serves a full round trip: a fresh login of the probe user through it,
 * an {@code open} of the node's probe desk (whose only member is connected through the same node), the member's
 * accept, a message across and a close. A new attempt starts every half second while earlier ones may still
 * wait for answers, so the first success tells when the node recovered to within half a second.
 */
final class ChaosProbe {

  private static final long START_EVERY_MILLIS = 500;
  /** Attempts waiting at once: a request waits at most its deadline, so this many are enough to keep the pace. */
  private static final int MAX_IN_FLIGHT = 25;
  private static final int REASON_CHARS = 120;

  final NodeProcess node;
  private final ChaosCluster cluster;
  private final ExecutorService attempts = Executors.newCachedThreadPool();
  /** Messages the member received, by conversation. */
  private final Map<String, CompletableFuture<Void>> arrivals = new ConcurrentHashMap<>();
  /** Conversations opened by an attempt that did not get to close them: closed at the end, so no load stays. */
  private final Set<String> unclosed = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new TreeMap<>();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong recoveredNanos = new AtomicLong();
  private TestClient agent;
  private ScheduledFuture<?> pace;
  private volatile boolean stopped;

  ChaosProbe(NodeProcess node, ChaosCluster cluster) {
    this.node = node;
    this.cluster = cluster;
  }

  static String source(String nodeId) {
    return "probe-" + nodeId;
  }

  static String agent(String nodeId) {
    return "probe-" + nodeId + "-agent";
  }

  static String desk(String nodeId) {
    return "probe-" + nodeId + "-desk";
  }

  /** The probe's users and the desk they meet at, for the directory. */
  static void addTo(JsonArray users, JsonArray virtualUsers, String nodeId) {
    users.add(new JsonObject().put("id", source(nodeId))).add(new JsonObject().put("id", agent(nodeId)));
    virtualUsers.add(new JsonObject().put("id", desk(nodeId)).put("members", new JsonArray().add(agent(nodeId)))
        .put("policy", new JsonObject().put("offerTimeout", ChaosCluster.OFFER_TIMEOUT.toString())));
  }

  static List<ChaosProbe> of(List<NodeProcess> nodes, ChaosCluster cluster) {
    return nodes.stream().map(node -> new ChaosProbe(node, cluster)).toList();
  }

  /** Connects the desk's member through the node, before the fault. */
  void connectAgent() {
    agent();
  }

  /** The member's connection, connected again if it dropped; it accepts every offer. */
  private synchronized TestClient agent() {
    if (agent == null || agent.isClosed()) {
      TestClient member = login(agent(node.nodeId));
      member.handOver(frame -> {
        String conversation = frame.getString("conversation");
        if ("offer".equals(frame.getString("type"))) {
          member.send(new JsonObject().put("type", "accept").put("id", "accept-" + conversation).put("conversation", conversation));
        } else if ("message".equals(frame.getString("type"))) {
          arrivals.computeIfAbsent(conversation, id -> new CompletableFuture<>()).complete(null);
        }
      });
      agent = member;
    }
    return agent;
  }

  /** Starts an attempt every half second from {@code faultNanos} on, until one succeeds or {@link #stop()}. */
  void start(ScheduledExecutorService timer, long faultNanos) {
    pace = timer.scheduleAtFixedRate(() -> {
      if (recoveredNanos.get() != 0 || stopped || inFlight.get() >= MAX_IN_FLIGHT) {
        return;
      }
      inFlight.incrementAndGet();
      int attempt = started.incrementAndGet();
      attempts.execute(() -> {
        try {
          roundTrip(attempt);
          recoveredNanos.compareAndSet(0, Math.max(1, System.nanoTime() - faultNanos));
        } catch (ProbeFailure failure) {
          if (!stopped) {
            failed(failure.getMessage());
          }
        } finally {
          inFlight.decrementAndGet();
        }
      });
    }, 0, START_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void roundTrip(int attempt) {
    TestClient member = step("member login", this::agent);
    try (TestClient source = step("login", () -> login(source(node.nodeId)))) {
      JsonObject opened = step("open", () -> expect("opened", source.request(new JsonObject().put("type", "open")
          .put("to", desk(node.nodeId)))));
      String conversation = opened.getString("conversation");
      unclosed.add(conversation);
      step("send", () -> expect("ack", source.request(new JsonObject().put("type", "send")
          .put("conversation", conversation).put("body", "probe " + attempt))));
      step("delivery", () -> arrivals
          .computeIfAbsent(conversation, id -> new CompletableFuture<>())
          .orTimeout(ChaosParty.REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join());
      step("close", () -> expect("ok", source.request(new JsonObject().put("type", "close").put("conversation", conversation))));
      unclosed.remove(conversation);
    }
  }

  /** A step that fails with a {@link ProbeFailure} naming it. */
  private static <T> T step(String name, Supplier<T> action) {
    try {
      return action.get();
    } catch (ProbeFailure failure) {
      throw failure;
    } catch (RuntimeException | AssertionError failure) {
      String reason = String.valueOf(failure.getMessage()).lines().findFirst().orElse("");
      throw new ProbeFailure(name + ": " + (reason.length() <= REASON_CHARS ? reason : reason.substring(0, REASON_CHARS) + "…"));
    }
  }

  private static final class ProbeFailure extends RuntimeException {
    ProbeFailure(String message) {
      super(message, null, false, false);
    }
  }

  private TestClient login(String user) {
    return cluster.login(node, user);
  }

  private static JsonObject expect(String type, JsonObject frame) {
    if (!type.equals(frame.getString("type"))) {
      throw new IllegalStateException(frame.getString("code") + " " + frame.getString("message"));
    }
    return frame;
  }

  private synchronized void failed(String reason) {
    failures.merge(reason, 1, Integer::sum);
  }

  /**
   * Stops probing, closes the conversations attempts could not close (so no load stays behind them) and the
   * member's connection; returns what that closing ran into.
   */
  List<String> stop() {
    stopped = true;
    if (pace != null) {
      pace.cancel(false);
    }
    attempts.shutdownNow();
    List<String> problems = new ArrayList<>();
    if (!unclosed.isEmpty() && node.serves()) {
      try (TestClient source = login(source(node.nodeId))) {
        for (String conversation : unclosed) {
          JsonObject answer = source.request(new JsonObject().put("type", "close").put("conversation", conversation));
          if (!"ok".equals(answer.getString("type")) && !"gone".equals(answer.getString("code"))) {
            problems.add("probe " + node.nodeId + " could not close " + conversation + ": " + answer.encode());
          }
        }
      } catch (RuntimeException | AssertionError failure) {
        problems.add("probe " + node.nodeId + " could not close " + unclosed + ": " + failure.getMessage());
      }
    }
    synchronized (this) {
      if (agent != null) {
        agent.close();
      }
    }
    return problems;
  }

  /** Milliseconds from the fault to the first round trip, or -1 if none succeeded. */
  long recoveredMillis() {
    long nanos = recoveredNanos.get();
    return nanos == 0 ? -1 : nanos / 1_000_000;
  }

  /** The attempts started, and why those that failed did, counted by reason. */
  synchronized String outcome() {
    long millis = recoveredMillis();
    return (millis >= 0 ? millis + " ms after the fault" : "NEVER") + " (" + started.get() + " attempts"
        + (failures.isEmpty() ? "" : "; failed: " + failures) + ")";
  }
}
