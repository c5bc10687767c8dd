package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/** The seeds' stories on a real Redis, one server for the class, emptied before each test's node starts. */
class SeedStoriesRedisTest extends SeedStories {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.builder().build().start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  List<String> storeOptions() {
    // Called as each test starts its node: the previous test's node is gone by then.
    redis.flushAll();
    return List.of("--redis", redis.uri());
  }
}
