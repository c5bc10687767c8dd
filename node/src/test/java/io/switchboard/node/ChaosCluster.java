package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The cluster a chaos scenario runs on: a real Redis with an append-only file fsynced on every write (as a
 * production deployment keeps its store, so that killing Redis loses nothing it acknowledged), and node JVMs
 * clustered over Hazelcast with a short lease and a long disconnect grace: a dead node is noticed within about a
 * second, and clients have time to come back before their conversations would be closed. Node logs are kept in
 * {@code target/chaos/<scenario>/} for reading after the run.
 */
final class ChaosCluster implements AutoCloseable {

  static final Duration LEASE = Duration.ofSeconds(1);
  static final Duration DISCONNECT_GRACE = Duration.ofSeconds(30);
  static final Duration OFFER_TIMEOUT = Duration.ofSeconds(5);

  final Path dir;
  final RedisServer redis;
  final Vertx vertx;
  final List<NodeProcess> nodes = new ArrayList<>();
  /** Nodes refuse tokens that do not expire. */
  private static final JWTOptions IN_AN_HOUR = new JWTOptions().setExpiresInMinutes(60);
  private final JWTAuth tokens;
  private final Map<String, String> tokenCache = new ConcurrentHashMap<>();

  private ChaosCluster(Path dir, RedisServer redis, Vertx vertx) {
    this.dir = dir;
    this.redis = redis;
    this.vertx = vertx;
    this.tokens = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestNode.SECRET)));
  }

  /**
   * Starts Redis and one node per id; the first loads {@code directory} into Redis, the others start together
   * once it is up.
   */
  static ChaosCluster start(String scenario, List<String> nodeIds, JsonObject directory) throws IOException {
    Path dir = Path.of("target", "chaos", scenario).toAbsolutePath();
    ChaosCluster cluster = new ChaosCluster(emptyDirectory(dir),
        RedisServer.builder().option("appendonly", "yes").option("appendfsync", "always").build().start(), Vertx.vertx());
    try {
      Path file = dir.resolve("directory.json");
      Files.writeString(file, directory.encodePrettily());
      List<String> options = ClusterTest.with(ClusterTest.clusterOptions("--redis", cluster.redis.uri()),
          "--lease", LEASE.toString(), "--disconnect-grace", DISCONNECT_GRACE.toString());
      cluster.nodes.add(NodeProcess.start(nodeIds.get(0), dir, ClusterTest.with(options, "--directory", file.toString())));
      List<CompletableFuture<NodeProcess>> others = nodeIds.subList(1, nodeIds.size()).stream()
          .map(id -> CompletableFuture.supplyAsync(() -> NodeProcess.start(id, dir, options))).toList();
      others.forEach(starting -> cluster.nodes.add(starting.join()));
      return cluster;
    } catch (Throwable failure) {
      cluster.close();
      throw failure;
    }
  }

  private static Path emptyDirectory(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> old = Files.walk(dir)) {
          old.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(dir)).forEach(path -> path.toFile().delete());
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  NodeProcess node(String id) {
    return nodes.stream().filter(node -> node.nodeId.equals(id)).findFirst().orElseThrow();
  }

  List<String> nodeIds() {
    return nodes.stream().map(node -> node.nodeId).toList();
  }

  /** A client token of {@code user} (HS256 with the cluster's secret). */
  String token(String user) {
    return tokenCache.computeIfAbsent(user, id -> tokens.generateToken(new JsonObject().put("sub", id), IN_AN_HOUR));
  }

  /**
   * A WebSocket client of {@code user} through {@code node}, authenticated. Throws {@link IllegalStateException}
   * with the error's code and message when the node refuses the login, an {@link AssertionError} when it does not
   * answer in time.
   */
  TestClient login(NodeProcess node, String user) {
    TestClient client = TestClient.webSocket(vertx, node.httpPort);
    try {
      JsonObject ready = client.request(new JsonObject().put("type", "auth").put("token", token(user)));
      if (!"ready".equals(ready.getString("type"))) {
        throw new IllegalStateException(ready.getString("code") + " " + ready.getString("message"));
      }
      return client;
    } catch (RuntimeException | AssertionError failure) {
      client.close();
      throw failure;
    }
  }

  /** The admin API of {@code node}. */
  AdminClient admin(NodeProcess node) {
    String token = tokens.generateToken(new JsonObject().put("sub", "chaos").put("roles", new JsonArray().add("admin")),
        IN_AN_HOUR);
    return AdminClient.bearer(vertx, node.httpPort, token);
  }

  @Override
  public void close() {
    try {
      ClusterTest.stopAll(vertx, redis, nodes.toArray(NodeProcess[]::new));
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the chaos cluster", e);
    }
  }
}
