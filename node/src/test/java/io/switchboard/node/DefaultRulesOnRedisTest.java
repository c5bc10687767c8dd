package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;

/** The server's default rules on Redis, where the defaults document lives. */
class DefaultRulesOnRedisTest extends DefaultRulesCases {

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
