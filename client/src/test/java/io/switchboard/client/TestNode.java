package io.switchboard.client;

import io.switchboard.node.NodeOptions;
import io.switchboard.node.SwitchboardNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real node in this JVM, on a Vert.x of its own (so that it can be stopped and another started on the same ports),
 * with a directory of separate casts: customers u1…, members m1… each alone behind the virtual user shop1… (offers
 * time out after 2 s). Each test takes its own cast, so no test sees another's users.
 */
final class TestNode {

  static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CASTS = 60;
  private static final AtomicInteger CASTS_TAKEN = new AtomicInteger();

  /** Two customers, and a shop with its one member. */
  record Cast(String source, String other, String member, String shop) {
  }

  private final Vertx vertx;
  private final SwitchboardNode node;

  private TestNode(Vertx vertx, SwitchboardNode node) {
    this.vertx = vertx;
    this.node = node;
  }

  /** Starts a node; ports 0 take free ones. {@code extra}: more options, e.g. "--redis", uri. */
  static TestNode start(Path dir, int httpPort, int tcpPort, String... extra) {
    Path file = dir.resolve("directory.json");
    try {
      Files.writeString(file, directory().encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--http-port", Integer.toString(httpPort),
        "--tcp-port", Integer.toString(tcpPort), "--jwt-secret", "switchboard-client-test-secret-0123456789",
        "--directory", file.toString(), "--gateway-instances", "1"));
    args.addAll(List.of(extra));
    NodeOptions options = NodeOptions.parse(args.toArray(String[]::new), Map.of());
    Vertx vertx = Vertx.vertx();
    try {
      return new TestNode(vertx, await(SwitchboardNode.start(vertx, options, Clock.systemUTC())));
    } catch (RuntimeException | AssertionError e) {
      vertx.close();
      throw e;
    }
  }

  static Cast cast() {
    int n = CASTS_TAKEN.incrementAndGet();
    if (n > CASTS) {
      throw new IllegalStateException("the test directory has too few users: raise CASTS");
    }
    return new Cast("u" + (2 * n - 1), "u" + 2 * n, "m" + n, "shop" + n);
  }

  private static JsonObject directory() {
    JsonArray users = new JsonArray();
    JsonArray virtualUsers = new JsonArray();
    for (int i = 1; i <= CASTS; i++) {
      users.add(new JsonObject().put("id", "u" + (2 * i - 1))).add(new JsonObject().put("id", "u" + 2 * i))
          .add(new JsonObject().put("id", "m" + i));
      virtualUsers.add(new JsonObject().put("id", "shop" + i).put("members", new JsonArray().add("m" + i))
          .put("policy", new JsonObject().put("offerTimeout", "PT2S").put("maxOffers", 1)));
    }
    return new JsonObject().put("users", users).put("virtualUsers", virtualUsers);
  }

  int httpPort() {
    return node.httpPort();
  }

  int tcpPort() {
    return node.tcpPort();
  }

  String token(String user) {
    return node.token(user, Duration.ofHours(1));
  }

  /** Options to reach this node over {@code transport} as {@code user}, with short backoff so tests do not wait long. */
  ClientOptions options(ClientOptions.Transport transport, String user) {
    return options(transport, transport == ClientOptions.Transport.WEBSOCKET ? httpPort() : tcpPort(), user);
  }

  /** Options to reach {@code port} (e.g. a proxy in front of this node) over {@code transport} as {@code user}. */
  ClientOptions options(ClientOptions.Transport transport, int port, String user) {
    ClientOptions options = transport == ClientOptions.Transport.WEBSOCKET
        ? ClientOptions.webSocket("127.0.0.1", port) : ClientOptions.tcp("127.0.0.1", port);
    return options.setToken(token(user)).setBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2));
  }

  /** A planned stop, as on SIGTERM: the node tells its clients to reconnect, closes them, and its Vert.x closes. */
  void stop() {
    await(node.stop(Duration.ofSeconds(2)).eventually(vertx::close));
  }

  /** Waits for a future on the test thread, with a deadline. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("did not complete within " + WAIT + ": " + e, e);
    }
  }
}
