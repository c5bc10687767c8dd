package io.switchboard.store.redis;

/**
 * The Redis store on a Redis Cluster of three masters obeys every contract: every script's keys share one hash tag,
 * or the cluster would refuse it.
 */
class RedisClusterStoresTest extends RedisStoresContract {

  private RedisCluster cluster;

  @Override
  protected RedisStoreOptions startRedis() {
    cluster = RedisCluster.builder().masters(3).build().start();
    return RedisStoreOptions.cluster(cluster.nodes());
  }

  @Override
  protected void flushRedis() {
    cluster.flushAll();
  }

  @Override
  protected void flushScripts() {
    cluster.flushScripts();
  }

  @Override
  protected AutoCloseable redis() {
    return cluster;
  }
}
