package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;

/** Holds that end on Redis: the held messages, rules and activations live there. */
class HoldsThatEndOnRedisTest extends HoldsThatEndCases {

  private RedisServer redis;

  @Override
  String[] nodeOptions() {
    redis = RedisServer.builder().build().start();
    return new String[] {"--redis", redis.uri()};
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }
}
