package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis frozen (SIGSTOP) under a node process, as in a stalled VM: its connections stay open and nothing answers,
 * then the node closes them. Every request that needs the store is {@code store_unavailable} to clients and 503 to
 * the admin API and the readiness check — never {@code internal} — and all is well again once Redis thaws.
 */
@ExtendWith(VertxExtension.class)
class FrozenStoreTest {

  /** Rounds of requests while frozen: the first meet a silent connection, later ones the connections closed since. */
  private static final int ROUNDS = 3;

  @TempDir
  Path dir;
  private RedisServer redis;
  private NodeProcess node;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(TestClient::close);
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aFrozenRedisIsStoreUnavailableEverywhereUntilItThaws(Vertx vertx) throws Exception {
    redis = RedisServer.builder().build().start();
    Path directory = Files.writeString(dir.resolve("directory.json"), NodeTestBase.directory().encode());
    node = NodeProcess.start("frozen-store", dir, List.of("--redis", redis.uri(), "--directory", directory.toString()));
    TestClient abc = track(node.connect(vertx, "abc"));
    TestClient bob = track(node.connectTcp(vertx, "bob"));
    String conversation = openAccepted(abc, "bob", bob);
    JsonObject send = frame("send").put("conversation", conversation).put("body", "before");
    assertEquals("ack", abc.request(send).getString("type"));
    AdminClient admin = node.admin(vertx);
    assertEquals(200, admin.get("/health/ready").status());
    JsonObject dave = new JsonObject().put("name", "Dave");

    redis.freeze();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        abc.expectError(abc.request(send), "store_unavailable");
        abc.expectError(abc.request(frame("open").put("to", "shop")), "store_unavailable");
        bob.expectError(bob.request(frame("status").put("status", "busy")), "store_unavailable");
        admin.get("/api/v1/users/abc").error(503, "store_unavailable");
        admin.put("/api/v1/users/dave", dave).error(503, "store_unavailable");
        admin.get("/api/v1/virtual-users/shop/status").error(503, "store_unavailable");
        assertEquals(503, admin.get("/health/ready").status());
      }
    } finally {
      redis.thaw();
    }

    JsonObject ack = abc.request(send.copy().put("body", "after"));
    for (long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
         !"ack".equals(ack.getString("type")) && System.nanoTime() < deadline; ) {
      ack = abc.request(send.copy().put("body", "after"));
    }
    assertEquals("ack", ack.getString("type"), ack::encode);
    // Each of the node's Redis connections comes back on its own: a request may still meet one that has not.
    assertEquals(200, eventually(() -> admin.put("/api/v1/users/dave", dave)).status());
    assertEquals(200, eventually(() -> admin.get("/health/ready")).status());
  }

  private static AdminClient.Response eventually(Supplier<AdminClient.Response> request) {
    AdminClient.Response response = request.get();
    for (long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
         response.status() != 200 && System.nanoTime() < deadline; ) {
      response = request.get();
    }
    return response;
  }

  private TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }
}
