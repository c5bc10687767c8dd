package io.switchboard.node;

import io.switchboard.store.redis.Signal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Switchboard node in a JVM process of its own, started from the test classpath, so that a test can kill it
 * with SIGKILL as an operator's {@code kill -9} would, freeze it (SIGSTOP) or stop it (SIGTERM). Its output goes
 * to a log file in the directory the test gives.
 */
final class NodeProcess implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(60);

  final String nodeId;
  final int httpPort;
  final int tcpPort;
  /** Where the node's output goes. */
  final Path log;
  private final Process process;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile boolean frozen;

  private NodeProcess(String nodeId, int httpPort, int tcpPort, Path log, Process process) {
    this.nodeId = nodeId;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
    this.log = log;
    this.process = process;
  }

  /** Starts a clustered node with these extra options and waits until it reports started. */
  static NodeProcess start(String nodeId, Path logDir, List<String> options) {
    List<String> signed = new ArrayList<>(List.of("--jwt-secret", TestNode.SECRET));
    signed.addAll(options);
    return startUnsigned(nodeId, logDir, signed);
  }

  /** Starts a node with these options and no --jwt-secret of the tests (unless given), as an operator may. */
  static NodeProcess startUnsigned(String nodeId, Path logDir, List<String> options) {
    int httpPort = freePort();
    int tcpPort = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dhazelcast.wait.seconds.before.join=0",
        // The node logs as in production (its start-up line is what tells the test it is up).
        "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
        "-cp", System.getProperty("java.class.path"),
        SwitchboardNode.class.getName(),
        "--node-id", nodeId, "--host", "127.0.0.1", "--http-port", String.valueOf(httpPort),
        "--tcp-port", String.valueOf(tcpPort)));
    command.addAll(options);
    Path log = logDir.resolve(nodeId + ".log");
    Process process = null;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      NodeProcess node = new NodeProcess(nodeId, httpPort, tcpPort, log, process);
      node.pipeOutput();
      node.started.get(START.toMillis(), TimeUnit.MILLISECONDS);
      return node;
    } catch (Exception e) {
      if (process != null) {
        // a node that did not start in time must not linger and hold its ports
        process.destroyForcibly();
      }
      throw new AssertionError("node " + nodeId + " did not start; its output ends with:\n" + tail(log), e);
    }
  }

  /** Copies the node's output to its log and notices the start-up line (or the process ending before it). */
  private void pipeOutput() {
    Thread pipe = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           var out = java.nio.file.Files.newBufferedWriter(log)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line);
          out.newLine();
          out.flush();
          if (line.contains("switchboard node " + nodeId + " started")) {
            started.complete(null);
          }
        }
      } catch (IOException e) {
        started.completeExceptionally(e);
      }
      started.completeExceptionally(new IllegalStateException("the process ended before it started"));
    }, "node-output-" + nodeId);
    pipe.setDaemon(true);
    pipe.start();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client of {@code user} on this node over WebSocket, authenticated. */
  TestClient connect(Vertx vertx, String user) {
    TestClient client = TestClient.webSocket(vertx, httpPort);
    client.auth(token(vertx, user));
    return client;
  }

  /** The admin API of this node, with an admin token. */
  AdminClient admin(Vertx vertx) {
    return AdminClient.bearer(vertx, httpPort, TestNode.token(vertx, TestNode.SECRET, new JsonObject().put("sub", "ops")
        .put("roles", new JsonArray().add("admin")).put("exp", TestNode.inAnHour())));
  }

  /** A client of {@code user} on this node over TCP, authenticated. */
  TestClient connectTcp(Vertx vertx, String user) {
    TestClient client = TestClient.tcp(tcpPort);
    client.auth(token(vertx, user));
    return client;
  }

  private static String token(Vertx vertx, String user) {
    return TestNode.token(vertx, TestNode.SECRET, new JsonObject().put("sub", user).put("exp", TestNode.inAnHour()));
  }

  /** The process id, to look at what the node holds (its sockets). */
  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, no goodbye reaches the cluster. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the process freezes with its sockets open, as in a long GC pause or a stalled VM. */
  void freeze() {
    Signal.STOP.send(process.pid());
    frozen = true;
  }

  /** SIGCONT after {@link #freeze()}. */
  void thaw() {
    Signal.CONT.send(process.pid());
    frozen = false;
  }

  /**
   * SIGTERM, as an orchestrator stops a node: its shutdown hook runs. Returns the exit code, or fails if the
   * process is still running after {@code patience}.
   */
  int terminate(Duration patience) {
    Signal.TERM.send(process.pid());
    try {
      if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + nodeId + " still runs " + patience + " after SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** Running and not frozen: it can serve clients. */
  boolean serves() {
    return process.isAlive() && !frozen;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      if (frozen) {
        thaw();
      }
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
