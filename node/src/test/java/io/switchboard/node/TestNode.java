package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real node on loopback with free ports, the test directory, and tokens signed with its secret. */
final class TestNode {

  static final String SECRET = "switchboard-test-secret-0123456789abcdef";

  final SwitchboardNode node;
  final Vertx vertx;

  private TestNode(Vertx vertx, SwitchboardNode node) {
    this.vertx = vertx;
    this.node = node;
  }

  /** Starts a node on {@code vertx} with {@code directory} and extra options (e.g. "--heartbeat", "PT1S"). */
  static TestNode start(Vertx vertx, Path dir, JsonObject directory, String... extra) {
    return start(vertx, dir, directory, Clock.systemUTC(), extra);
  }

  /** Starts a node like {@link #start(Vertx, Path, JsonObject, String...)} on {@code clock}. */
  static TestNode start(Vertx vertx, Path dir, JsonObject directory, Clock clock, String... extra) {
    Path file = dir.resolve("directory-" + System.nanoTime() + ".json");
    try {
      Files.writeString(file, directory.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0",
        "--jwt-secret", SECRET, "--directory", file.toString()));
    args.addAll(List.of(extra));
    NodeOptions options = NodeOptions.parse(args.toArray(String[]::new), Map.of());
    return new TestNode(vertx, TestClient.await(SwitchboardNode.start(vertx, options, clock)));
  }

  String token(String user) {
    return node.token(user, Duration.ofHours(1));
  }

  /** A token with the admin role. */
  String adminToken() {
    return node.adminToken(Duration.ofHours(1));
  }

  /** An admin API client with the admin token. */
  AdminClient admin() {
    return AdminClient.bearer(vertx, node.httpPort(), adminToken());
  }

  /** An {@code exp} claim an hour from now. */
  static long inAnHour() {
    return System.currentTimeMillis() / 1000 + 3600;
  }

  /** A token with exactly these claims (give an {@code exp}: nodes refuse tokens without one), signed with {@code secret}. */
  static String token(Vertx vertx, String secret, JsonObject claims) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, new JWTOptions());
  }

  TestClient webSocket() {
    return TestClient.webSocket(vertx, node.httpPort());
  }

  TestClient tcp() {
    return TestClient.tcp(node.tcpPort());
  }

  /** A client of {@code user} over WebSocket, authenticated. */
  TestClient connect(String user) {
    TestClient client = webSocket();
    client.auth(token(user));
    return client;
  }

  /** A client of {@code user} over TCP, authenticated. */
  TestClient connectTcp(String user) {
    TestClient client = tcp();
    client.auth(token(user));
    return client;
  }
}
