package io.switchboard.store.redis;

/** The Redis store on one Redis server obeys every contract. */
class RedisStoresTest extends RedisStoresContract {

  private RedisServer server;

  @Override
  protected RedisStoreOptions startRedis() {
    server = RedisServer.builder().build().start();
    return RedisStoreOptions.standalone(server.uri());
  }

  @Override
  protected void flushRedis() {
    server.flushAll();
  }

  @Override
  protected void flushScripts() {
    server.flushScripts();
  }

  @Override
  protected AutoCloseable redis() {
    return server;
  }
}
