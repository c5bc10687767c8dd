package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --directory-if-empty}: the directory file seeds a store that holds none, and a node starting later (a
 * restart, as in docker/compose.yaml) keeps what the admin API changed since; without it, every start loads the
 * file again. Nodes on one real Redis, one after the other.
 */
class DirectoryIfEmptyTest {

  private static final JsonObject EDITED = new JsonObject().put("attributes", new JsonObject().put("level", 9));

  @TempDir
  Path dir;
  private RedisServer redis;
  private final List<Vertx> started = new ArrayList<>();

  @BeforeEach
  void startRedis() {
    redis = RedisServer.builder().build().start();
  }

  @AfterEach
  void stop() {
    started.forEach(vertx -> TestClient.await(vertx.close()));
    redis.close();
  }

  private TestNode start(String... extra) {
    Vertx vertx = Vertx.vertx();
    started.add(vertx);
    List<String> options = new ArrayList<>(List.of("--redis", redis.uri()));
    options.addAll(List.of(extra));
    return TestNode.start(vertx, dir, NodeTestBase.directory(), options.toArray(String[]::new));
  }

  private static int level(TestNode node) {
    return node.admin().get("/api/v1/users/abc").ok().getJsonObject("attributes").getInteger("level", 0);
  }

  @Test
  void aNodeStartingLaterKeepsWhatTheAdminApiChangedAndWithoutTheFlagLoadsTheFileAgain() {
    TestNode first = start("--directory-if-empty");
    assertEquals(3, level(first), "an empty store is seeded from the file");
    first.admin().put("/api/v1/users/abc", EDITED).ok();

    assertEquals(9, level(start("--directory-if-empty")), "the edit outlives a start with --directory-if-empty");

    assertEquals(3, level(start()), "a start without it loads the file over the edit");
  }
}
