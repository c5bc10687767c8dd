package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The store when Redis goes away: a request fails with {@code store_unavailable} promptly, never hangs, and the
 * store works again by itself once Redis is back.
 */
@Timeout(60)
class RedisStoreRecoveryTest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  /** Long enough for any answer from a live server here, short enough to show a request did not wait. */
  private static final Duration PROMPTLY = Duration.ofMillis(300);
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final User ANNA = new User("anna", null, null, null, null);

  private static RedisServer server;
  private static Vertx vertx;
  private static RedisStore store;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.builder().build().start();
    vertx = Vertx.vertx();
    store = await(RedisStore.connect(vertx, RedisStoreOptions.standalone(server.uri())
        .withRequestTimeout(REQUEST_TIMEOUT).withMaxReconnectDelay(Duration.ofMillis(200))));
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (store != null) {
      await(store.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void whileRedisIsDownRequestsFailAtOnceAndTheStoreRecoversWhenItIsBackOnTheSamePort() throws Exception {
    await(store.putUser(ANNA));

    server.kill();
    // the first request may be the one that finds the connection gone; either way it fails at once
    assertUnavailableWithin(REQUEST_TIMEOUT.plus(PROMPTLY), store.user("anna"));
    // later ones, while the store waits to reconnect, do not even try
    assertUnavailableWithin(PROMPTLY, store.user("anna"));

    server.start();
    awaitRecovered();
    await(store.putUser(ANNA));
    assertEquals(ANNA, await(store.user("anna")));
  }

  @Test
  void aRequestToAServerThatStoppedAnsweringFailsWithinTheRequestTimeout() throws Exception {
    await(store.putUser(ANNA));

    server.freeze();
    try {
      assertUnavailableWithin(REQUEST_TIMEOUT.plus(PROMPTLY), store.user("anna"));
      assertUnavailableWithin(REQUEST_TIMEOUT.plus(PROMPTLY), store.user("anna"));
    } finally {
      server.thaw();
    }

    awaitRecovered();
    assertEquals(ANNA, await(store.user("anna")));
  }

  private static void assertUnavailableWithin(Duration limit, Future<?> request) {
    long started = System.nanoTime();
    try {
      request.toCompletionStage().toCompletableFuture().get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
      fail("the request succeeded while Redis was away");
    } catch (ExecutionException e) {
      SwitchboardException failure = assertInstanceOf(SwitchboardException.class, e.getCause());
      assertEquals(ErrorCode.STORE_UNAVAILABLE, failure.code(), failure::getMessage);
    } catch (Exception e) {
      fail("the request did not fail in time: " + e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(limit) < 0, () -> "the request took " + took.toMillis() + " ms, more than " + limit.toMillis());
  }

  /** Polls, within a deadline, until a request succeeds again. */
  private static void awaitRecovered() {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      try {
        await(store.user("anna"));
        return;
      } catch (Exception stillDown) {
        if (System.nanoTime() > deadline) {
          fail("the store did not recover within " + RECOVERY.toSeconds() + " s: " + stillDown);
        }
      }
      RedisServer.pause(POLL_INTERVAL);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
  }
}
