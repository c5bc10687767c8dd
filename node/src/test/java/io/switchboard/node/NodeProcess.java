package io.switchboard.node;

import io.vertx.core.Vertx;
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
 * with SIGKILL as an operator's {@code kill -9} would. Its output goes to a log file beside the test's files.
 */
final class NodeProcess implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(60);

  final String nodeId;
  final int httpPort;
  final int tcpPort;
  private final Process process;
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  private NodeProcess(String nodeId, int httpPort, int tcpPort, Process process) {
    this.nodeId = nodeId;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
    this.process = process;
  }

  /** Starts a clustered node with these extra options and waits until it reports started. */
  static NodeProcess start(String nodeId, Path logDir, List<String> options) {
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
        "--tcp-port", String.valueOf(tcpPort), "--jwt-secret", TestNode.SECRET));
    command.addAll(options);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      NodeProcess node = new NodeProcess(nodeId, httpPort, tcpPort, process);
      node.pipeOutput(logDir.resolve(nodeId + ".log"));
      node.started.get(START.toMillis(), TimeUnit.MILLISECONDS);
      return node;
    } catch (Exception e) {
      throw new AssertionError("node " + nodeId + " did not start; its output ends with:\n" + tail(logDir.resolve(nodeId + ".log")), e);
    }
  }

  /** Copies the node's output to its log and notices the start-up line (or the process ending before it). */
  private void pipeOutput(Path log) {
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

  /** A client of {@code user} on this node over TCP, authenticated. */
  TestClient connectTcp(Vertx vertx, String user) {
    TestClient client = TestClient.tcp(tcpPort);
    client.auth(token(vertx, user));
    return client;
  }

  private static String token(Vertx vertx, String user) {
    return TestNode.token(vertx, TestNode.SECRET, new JsonObject().put("sub", user));
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

  @Override
  public void close() {
    if (process.isAlive()) {
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
