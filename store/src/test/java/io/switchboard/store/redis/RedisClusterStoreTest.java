package io.switchboard.store.redis;

import io.switchboard.store.SwitchboardStore;
import io.switchboard.store.SwitchboardStoreContract;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis store on a Redis Cluster of three masters obeys the store contract: every script's keys share one
 * hash tag, or the cluster would refuse it. One cluster and one store serve every test.
 */
class RedisClusterStoreTest extends SwitchboardStoreContract {

  private static RedisCluster cluster;
  private static Vertx vertx;
  private static RedisStore redisStore;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.builder().masters(3).build().start();
    vertx = Vertx.vertx();
    redisStore = done(RedisStore.connect(vertx, RedisStoreOptions.cluster(cluster.nodes()).withDecisionsKept(DECISIONS_KEPT)));
  }

  @AfterAll
  static void stopCluster() {
    if (redisStore != null) {
      done(redisStore.close());
    }
    if (vertx != null) {
      done(vertx.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected SwitchboardStore newStore() {
    cluster.flushAll();
    return redisStore;
  }
}
