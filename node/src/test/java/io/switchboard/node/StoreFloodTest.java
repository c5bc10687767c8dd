package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client cannot take the store away from everyone on a node: 300 watch frames of 1,000 users each, sent at
 * once to a node on Redis, are answered with {@code rate_limited} past the connection's bound (never
 * {@code internal}), and meanwhile other users' conversations go on without an error.
 */
@ExtendWith(VertxExtension.class)
class StoreFloodTest {

  private static final int USERS = 1000;
  private static final int FLOOD = 300;

  @TempDir
  Path dir;
  private RedisServer redis;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(TestClient::close);
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aFloodOfWatchesIsRefusedWithoutHurtingOthers(Vertx vertx) {
    redis = RedisServer.builder().build().start();
    JsonObject directory = NodeTestBase.directory();
    JsonArray ids = new JsonArray();
    IntStream.range(0, USERS).forEach(i -> {
      directory.getJsonArray("users").add(new JsonObject().put("id", "u" + i));
      ids.add("u" + i);
    });
    TestNode node = TestNode.start(vertx, dir, directory, "--redis", redis.uri());
    TestClient flooder = track(node.connect("abc"));
    TestClient bob = track(node.connect("bob"));
    TestClient m1 = track(node.connect("m1"));
    String conversation = openAccepted(bob, "shop", m1);

    for (int i = 0; i < FLOOD; i++) {
      flooder.send(frame("watch").put("id", "w" + i).put("users", ids));
    }
    for (int i = 0; i < 50; i++) {
      JsonObject ack = bob.request(frame("send").put("conversation", conversation).put("body", "still here " + i));
      assertEquals("ack", ack.getString("type"), ack::encode);
    }

    Map<String, Integer> answers = new HashMap<>();
    for (int i = 0; i < FLOOD; i++) {
      String id = "w" + i;
      JsonObject reply = flooder.next(frame -> id.equals(frame.getString("id")));
      answers.merge(reply.getString("code", reply.getString("type")), 1, Integer::sum);
    }
    assertFalse(answers.containsKey("internal"), answers::toString);
    assertFalse(answers.containsKey("store_unavailable"), answers::toString);
    assertTrue(answers.getOrDefault("rate_limited", 0) >= FLOOD - 2, answers::toString);
  }

  private TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }
}
