package io.switchboard.bench;

import io.switchboard.directory.DirectoryFile;
import io.switchboard.node.NodeOptions;
import io.switchboard.node.SwitchboardNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The load scenarios against a real node started in this process on free loopback ports, with a directory
 * made by the {@code directory} command and a one-second heartbeat (so that keeping connections alive is
 * tested too). Runs are about two seconds each: they check what the result says, not how fast the node is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScenariosTest {

  private static final String SECRET = "bench-test-secret-0123456789abcdefghij";

  @TempDir
  static Path dir;
  private static Vertx nodeVertx;
  private static Vertx benchVertx;
  private static SwitchboardNode node;

  @BeforeAll
  static void startNode() throws Exception {
    JsonObject directory = DirectoryCommand.generate(Options.of(Map.of("sources", "12", "virtual-users", "2",
        "members", "3")));
    Path file = dir.resolve("directory.json");
    Files.writeString(file, directory.encode());
    nodeVertx = Vertx.vertx();
    benchVertx = Vertx.vertx();
    NodeOptions options = NodeOptions.parse(new String[] {"--host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0",
        "--jwt-secret", SECRET, "--directory", file.toString(), "--heartbeat", "PT1S", "--rate-limit", "100000",
        // a benchmark's sources and members are load generators, not people: the abuse limits do not apply
        "--max-pending-opens", "1000", "--member-offers-per-second", "1000000"}, Map.of());
    node = await(SwitchboardNode.start(nodeVertx, options, Clock.systemUTC()));
  }

  @AfterAll
  static void stopNode() throws Exception {
    benchVertx.close().await(10, TimeUnit.SECONDS);
    nodeVertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(50, TimeUnit.SECONDS);
  }

  private static JsonObject run(String scenario, String... nameValue) throws Exception {
    Map<String, String> values = new HashMap<>(Map.of(
        "url", "ws://127.0.0.1:" + node.httpPort() + "/ws",
        "tcp", "127.0.0.1:" + node.tcpPort(),
        "secret", SECRET,
        "duration", "2s",
        "sources", "4",
        "virtual-users", "2",
        "members", "3"));
    for (int i = 0; i + 1 < nameValue.length; i += 2) {
      values.put(nameValue[i], nameValue[i + 1]);
    }
    return await(Bench.run(benchVertx, scenario, Options.of(values)));
  }

  private static void assertLatency(JsonObject result, String field) {
    JsonObject latency = result.getJsonObject(field);
    assertNotNull(latency, field + " in " + result.encode());
    assertTrue(latency.getLong("count") > 0, result::encode);
    for (String percentile : List.of("p50", "p99", "p99.9", "max")) {
      assertNotNull(latency.getDouble(percentile), field + "." + percentile + " in " + result.encode());
    }
    assertTrue(latency.getDouble("p50") <= latency.getDouble("p99.9"), result::encode);
  }

  @Test
  void directoryHasTheUsersTheScenariosLogInAs() {
    JsonObject json = DirectoryCommand.generate(Options.of(Map.of("sources", "3", "virtual-users", "2", "members", "4")));
    DirectoryFile directory = DirectoryFile.fromJson(json);
    assertEquals(3 + 2 * 4, directory.users().size());
    assertEquals(List.of("vu-1", "vu-2"), directory.virtualUsers().stream().map(vu -> vu.id()).toList());
    assertEquals(List.of("vu-2-m-1", "vu-2-m-2", "vu-2-m-3", "vu-2-m-4"), directory.virtualUsers().get(1).members());
    assertTrue(directory.users().stream().anyMatch(user -> user.id().equals("src-3")));
    assertEquals(List.of("sticky", "least-load"),
        directory.virtualUsers().get(0).policy().chain().stream().map(step -> step.type()).toList());
  }

  @Test
  void setupOpensAndClosesConversations() throws Exception {
    JsonObject result = run("setup", "concurrency", "2");
    assertEquals("setup", result.getString("scenario"));
    assertTrue(result.getLong("setups") > 0, result::encode);
    assertTrue(result.getDouble("setupsPerSecond") > 0, result::encode);
    assertLatency(result, "openLatencyMs");
    assertEquals(new JsonObject(), result.getJsonObject("errors"), result::encode);
    assertEquals(4, result.getJsonObject("connections").getInteger("sources"));
    assertEquals(6, result.getJsonObject("connections").getInteger("members"));
    assertTrue(result.getBoolean("ok"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws", "tcp"})
  void relayDeliversEveryMessageOnceAndInOrder(String transport) throws Exception {
    JsonObject result = run("relay", "transport", transport, "conversations", "6", "window", "4");
    assertEquals(transport, result.getString("transport"));
    assertEquals(6, result.getInteger("conversations"), result::encode);
    assertTrue(result.getLong("messages") > 0, result::encode);
    assertLatency(result, "deliverLatencyMs");
    assertEquals(0, result.getLong("lost"), result::encode);
    assertEquals(0, result.getLong("duplicated"), result::encode);
    assertEquals(0, result.getLong("outOfOrder"), result::encode);
    assertEquals(0, result.getLong("seqMismatches"), result::encode);
    assertEquals(0, result.getLong("seqGaps"), result::encode);
    assertEquals(0, result.getLong("unacked"), result::encode);
    assertEquals(new JsonObject(), result.getJsonObject("errors"), result::encode);
    assertTrue(result.getBoolean("ok"));
  }

  @Test
  void relayAtATargetRateSendsAboutThatMany() throws Exception {
    JsonObject result = run("relay", "conversations", "4", "rate", "200");
    // 200/s for 2 s: the pacer never runs ahead of the schedule; a busy machine may make it lag.
    assertTrue(result.getLong("messages") >= 100 && result.getLong("messages") <= 400, result::encode);
    assertEquals(0, result.getLong("lost"), result::encode);
    assertEquals(0, result.getLong("outOfOrder"), result::encode);
  }

  @Test
  void aPacedRunThatFallsBehindCountsLatencyFromTheSchedule() throws Exception {
    // One conversation with one message in flight per side cannot carry a million a second: the schedule falls
    // behind from the first tick on, and every message goes out later than it was due. Timed from when it went
    // out, a message would take about a millisecond; timed from the schedule, it carries the lag.
    JsonObject result = run("relay", "conversations", "1", "window", "1", "rate", "1000000", "duration", "1s");
    assertTrue(result.getDouble("behindMs") >= 500, result::encode);
    assertTrue(result.getLong("owed") > 0, result::encode);
    assertTrue(result.getJsonObject("sendLagMs").getDouble("p50") >= 200, result::encode);
    assertTrue(result.getJsonObject("deliverLatencyMs").getDouble("p50") >= 200, result::encode);
    assertTrue(result.getJsonObject("ackLatencyMs").getDouble("p50") >= 200, result::encode);
    // The bench never ran ahead of the rate it could keep: what it sent is what the windows let through.
    assertTrue(result.getLong("sent") < 1_000_000, result::encode);
    assertEquals(0, result.getLong("lost"), result::encode);
    assertTrue(result.getBoolean("ok"), result::encode);
  }

  @Test
  void setupReportsTheCpuOfEachProcessPerSetup() throws Exception {
    // This JVM runs the node: given twice, under two labels, its figures appear twice and the total is their sum.
    String self = Long.toString(ProcessHandle.current().pid());
    JsonObject result = run("setup", "pid", "node=" + self + ",again=" + self);
    assertCpu(result, result.getLong("setups"), List.of("node", "again"));
  }

  @Test
  void relayReportsTheCpuOfEachProcessPerMessage() throws Exception {
    String self = Long.toString(ProcessHandle.current().pid());
    JsonObject result = run("relay", "conversations", "4", "pid", self);
    assertCpu(result, result.getLong("messages"), List.of(self));
  }

  /** CPU figures present, positive and consistent: no process uses more cores than the machine has. */
  private static void assertCpu(JsonObject result, long operations, List<String> labels) {
    JsonObject cpu = result.getJsonObject("cpu");
    assertNotNull(cpu, result::encode);
    assertTrue(operations > 0, result::encode);
    double cores = Runtime.getRuntime().availableProcessors();
    double sumMs = 0;
    for (String label : labels) {
      JsonObject process = cpu.getJsonObject(label);
      assertNotNull(process, label + " in " + cpu.encode());
      assertEquals(ProcessHandle.current().pid(), process.getLong("pid"), cpu::encode);
      assertTrue(process.getDouble("cpuMs") > 0, cpu::encode);
      assertTrue(process.getDouble("cores") > 0 && process.getDouble("cores") <= cores * 1.1 + 0.05, cpu::encode);
      double usPerOp = process.getDouble("usPerOp");
      assertEquals(process.getDouble("cpuMs") * 1000 / operations, usPerOp, usPerOp * 0.01 + 0.1, cpu::encode);
      sumMs += process.getDouble("cpuMs");
    }
    JsonObject total = cpu.getJsonObject("total");
    assertEquals(sumMs, total.getDouble("cpuMs"), 0.2, cpu::encode);
    assertTrue(total.getDouble("usPerOp") > 0, cpu::encode);
    // The window is the measured one (2 s here), sampled by the bench's own timers.
    assertTrue(total.getDouble("windowSeconds") >= 1.8 && total.getDouble("windowSeconds") <= 10, cpu::encode);
  }

  @Test
  void idleConnectionsStayConnectedPastTheHeartbeat() throws Exception {
    JsonObject result = run("idle", "connections", "12", "users", "12", "duration", "2.5s", "transport", "tcp",
        "ping-interval", "300ms");
    assertEquals(12, result.getInteger("connected"), result::encode);
    assertEquals(12, result.getInteger("stillConnected"), result::encode);
    assertEquals(0, result.getLong("droppedWhileHeld"), result::encode);
    assertTrue(result.getDouble("connectionsPerSecond") > 0, result::encode);
    // A TCP connection silent for two heartbeats (2 s) is closed: only the bench's pings kept these.
    assertTrue(result.getLong("pings") >= 12, result::encode);
    assertEquals(new JsonObject(), result.getJsonObject("pingErrors"), result::encode);
  }

  @Test
  void idleReadsTheNodesMemoryGivenItsPid() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "jcmd")), "jcmd not installed");
    String pid = Long.toString(ProcessHandle.current().pid());
    JsonObject result = run("idle", "connections", "10", "duration", "0.5s", "pid", pid);
    for (String reading : List.of("before", "after")) {
      assertTrue(result.getJsonObject(reading).getLong("heapUsedBytes") > 0, result::encode);
      assertTrue(result.getJsonObject(reading).getLong("rssBytes") > 0, result::encode);
    }
    assertNotNull(result.getLong("heapPerConnectionBytes"), result::encode);
    assertNotNull(result.getLong("rssPerConnectionBytes"), result::encode);
  }
}
