package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed and restarted under a node in mid-conversation: requests fail fast with
 * {@code store_unavailable} and never hang; once Redis is back the node carries on by itself.
 */
@ExtendWith(VertxExtension.class)
class RedisOutageTest {

  @TempDir
  Path dir;
  private RedisServer redis;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(TestClient::close);
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void requestsFailFastWhileRedisIsDownAndSucceedOnceItIsBack(Vertx vertx) {
    // Redis writes every command to its append-only file, so a restart finds the conversation again.
    redis = RedisServer.builder().option("appendonly", "yes").option("appendfsync", "always").build().start();
    TestNode node = TestNode.start(vertx, dir, NodeTestBase.directory(), "--redis", redis.uri());
    TestClient abc = track(node.connect("abc"));
    TestClient bob = track(node.connectTcp("bob"));
    String conversation = openAccepted(abc, "bob", bob);
    JsonObject send = frame("send").put("conversation", conversation).put("body", "before");
    assertEquals(1, abc.request(send).getLong("seq"));

    redis.kill();
    long start = System.nanoTime();
    JsonObject refused = abc.expectError(abc.request(send), "store_unavailable");
    long failedAfterMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(failedAfterMillis < 5_000, "failed fast: " + failedAfterMillis + " ms, " + refused.encode());
    abc.expectError(abc.request(frame("status").put("status", "busy")), "store_unavailable");

    redis.start();
    JsonObject ack = abc.request(send.copy().put("body", "after"));
    for (long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
         !"ack".equals(ack.getString("type")) && System.nanoTime() < deadline; ) {
      ack = abc.request(send.copy().put("body", "after"));
    }
    assertEquals("ack", ack.getString("type"), ack::encode);
    assertEquals("after", bob.next(f -> "message".equals(f.getString("type")) && "after".equals(f.getString("body")))
        .getString("body"));
    assertTrue(ack.getLong("seq") > 1);
  }

  private TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }
}
