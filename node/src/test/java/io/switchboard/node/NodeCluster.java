package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixture of the tests that run several nodes: node processes clustered over Hazelcast on loopback
 * ({@link ClusterTest#clusterOptions}) sharing one real Redis, the Vert.x the test's clients run on, and those
 * clients. One node loads the test's directory file ({@link #loading}); the others {@link #join} without it.
 */
final class NodeCluster implements AutoCloseable {

  /** How long a test's conversations may take to end after it: the disconnect grace, and room for a loaded machine. */
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final RedisServer redis;
  final Vertx vertx;
  /** The options every node of this cluster gets: its cluster and its Redis. */
  private final List<String> common;
  private final Path dir;
  private final JsonObject directory;
  private final Path directoryFile;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<TestClient> clients = new ArrayList<>();

  private NodeCluster(RedisServer redis, Vertx vertx, Path dir, JsonObject directory, Path directoryFile) {
    this.redis = redis;
    this.vertx = vertx;
    this.dir = dir;
    this.directory = directory;
    this.directoryFile = directoryFile;
    this.common = ClusterTest.clusterOptions("--redis", redis.uri());
  }

  /** A fresh Redis and client Vert.x for a cluster whose nodes log into {@code dir}, with this directory. */
  static NodeCluster start(Path dir, JsonObject directory) {
    Path file = dir.resolve("directory.json");
    try {
      Files.writeString(file, directory.encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RedisServer redis = RedisServer.builder().build().start();
    return new NodeCluster(redis, Vertx.vertx(), dir, directory, file);
  }

  /** Starts node {@code id}, which loads the directory into the store, with these extra options. */
  NodeProcess loading(String id, String... more) {
    List<String> options = ClusterTest.with(common, "--directory", directoryFile.toString());
    options.addAll(List.of(more));
    return started(NodeProcess.start(id, dir, options));
  }

  /** Starts node {@code id}, which joins the cluster and finds the directory in the store, with these extra options. */
  NodeProcess join(String id, String... more) {
    return started(NodeProcess.start(id, dir, ClusterTest.with(common, more)));
  }

  private NodeProcess started(NodeProcess node) {
    nodes.add(node);
    return node;
  }

  /** A WebSocket client of {@code user} through {@code node}, authenticated; closed by {@link #closeClients}. */
  TestClient connect(NodeProcess node, String user) {
    return track(node.connect(vertx, user));
  }

  /** The same over TCP. */
  TestClient connectTcp(NodeProcess node, String user) {
    return track(node.connectTcp(vertx, user));
  }

  private TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }

  /** Closes the clients of the test that ends. */
  void closeClients() {
    clients.forEach(TestClient::close);
    clients.clear();
  }

  /**
   * What one test leaves must not reach the next, whatever the order and the load: once its clients are gone, the
   * conversations they left close after the disconnect grace (telling whoever of their parties is connected then) and
   * give their members' loads back. This returns once every member's load is 0 again, as {@code admin} sees it.
   */
  void closeClientsAndAwaitLoadsGivenBack(AdminClient admin) {
    closeClients();
    NodeTestBase.eventually(SETTLE, () -> heldLoads(admin).isEmpty(),
        () -> "conversations left by the test still hold loads after " + SETTLE + ": " + heldLoads(admin));
  }

  /** The members with conversations (or offers) open, and how many, across every virtual user of the directory. */
  private Map<String, Integer> heldLoads(AdminClient admin) {
    Map<String, Integer> held = new TreeMap<>();
    for (Object virtualUser : directory.getJsonArray("virtualUsers")) {
      JsonObject status = admin.get("/api/v1/virtual-users/" + ((JsonObject) virtualUser).getString("id") + "/status").ok();
      for (Object member : status.getJsonArray("members")) {
        int load = ((JsonObject) member).getInteger("load");
        if (load > 0) {
          held.put(((JsonObject) member).getString("id"), load);
        }
      }
    }
    return held;
  }

  /** Closes the clients, stops the nodes, then the client Vert.x, then Redis. */
  @Override
  public void close() throws Exception {
    closeClients();
    ClusterTest.stopAll(vertx, redis, nodes.toArray(NodeProcess[]::new));
  }
}
