package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Held messages live in Redis: a node that held them can die, and another node releases them. */
class HeldAcrossRestartTest {

  @TempDir
  Path dir;
  private RedisServer redis;
  private Vertx vertx;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : reversedResources()) {
      resource.close();
    }
  }

  @Test
  void messagesHeldOnANodeThatIsKilledAreReleasedThroughTheNextOne() throws Exception {
    redis = track(RedisServer.builder().build().start());
    vertx = Vertx.vertx();
    resources.add(() -> vertx.close());
    Path directory = dir.resolve("directory.json");
    Files.writeString(directory, NodeTestBase.directory().encode());
    List<String> options = List.of("--redis", redis.uri());
    NodeProcess first = track(NodeProcess.start("first", dir, ClusterTest.with(options, "--directory", directory.toString())));

    TestClient abc = track(first.connect(vertx, "abc"));
    TestClient bob = track(first.connectTcp(vertx, "bob"));
    assertOk(bob.request(frame("set-rules").put("document", new JsonObject().put("rules", new JsonArray()
        .add(new JsonObject().put("id", "hold-when-busy").put("when", new JsonObject().put("status", new JsonArray().add("busy")))
            .put("then", new JsonObject().put("hold", true)))))));
    String conversation = openAccepted(abc, "bob", bob);
    assertOk(bob.request(frame("status").put("status", "busy")));
    for (int i = 1; i <= 3; i++) {
      abc.request(frame("send").put("conversation", conversation).put("body", "held " + i));
      assertEquals(i, bob.next("notice").getInteger("count"));
    }

    first.kill();
    NodeProcess second = track(NodeProcess.start("second", dir, options));
    TestClient back = track(second.connect(vertx, "bob"));
    assertOk(back.request(frame("status").put("status", "online")));
    for (int i = 1; i <= 3; i++) {
      assertEquals("held " + i, back.next("message").getString("body"));
    }
    JsonObject released = back.next("notice");
    assertEquals("released", released.getString("action"));
    assertEquals(3, released.getInteger("count"));
  }

  private List<AutoCloseable> reversedResources() {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }
}
