package io.switchboard.store.redis;

import io.switchboard.store.MessageLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Vert.x instance with a Redis store connected to a running Redis, for tests; {@link #close()} closes both, then
 * the Redis fixture it was given.
 */
final class ConnectedStore implements AutoCloseable {

  private static final long WAIT_SECONDS = 10;

  private final Vertx vertx;
  private final RedisStoreOptions options;
  private final RedisStores store;
  private final AutoCloseable redis;

  private ConnectedStore(Vertx vertx, RedisStoreOptions options, RedisStores store, AutoCloseable redis) {
    this.vertx = vertx;
    this.options = options;
    this.store = store;
    this.redis = redis;
  }

  /** Connects a store to {@code redis} (a server or a cluster fixture, already started). */
  static ConnectedStore connect(RedisStoreOptions options, AutoCloseable redis) {
    Vertx vertx = Vertx.vertx();
    try {
      return new ConnectedStore(vertx, options, await(RedisStores.connect(vertx, options)), redis);
    } catch (RuntimeException e) {
      vertx.close();
      closeQuietly(redis);
      throw e;
    }
  }

  RedisStores store() {
    return store;
  }

  /** Another store on the same Redis, as another node would have; the caller closes it. */
  RedisStores another() {
    return another(MessageLimits.DEFAULT);
  }

  /** Another store on the same Redis with these message limits; the caller closes it. */
  RedisStores another(MessageLimits limits) {
    return await(RedisStores.connect(vertx, options, limits));
  }

  @Override
  public void close() {
    try {
      await(store.close());
      await(vertx.close());
    } finally {
      closeQuietly(redis);
    }
  }

  private static void closeQuietly(AutoCloseable redis) {
    try {
      redis.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop Redis", e);
    }
  }

  /** Waits for an operation (never on an event loop: tests run on their own thread) and returns its value. */
  static <T> T await(Future<T> operation) {
    try {
      return operation.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
