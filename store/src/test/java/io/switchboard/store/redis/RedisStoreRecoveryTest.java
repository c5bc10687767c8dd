package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.User;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.switchboard.store.redis.ConnectedStore.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The store when Redis goes away: a request fails with {@code store_unavailable} promptly, never hangs, and the
 * store works again by itself once Redis is back.
 */
@Timeout(60)
class RedisStoreRecoveryTest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  /** Long enough for any answer from a live server on a loaded machine, short enough to show a request did not wait. */
  private static final Duration PROMPTLY = Duration.ofMillis(1000);
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final User ANNA = new User("anna", null, null, null, null);

  private static RedisServer server;
  private static ConnectedStore connected;
  private static RedisStores store;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.builder().build().start();
    connected = ConnectedStore.connect(RedisStoreOptions.standalone(server.uri())
        .withRequestTimeout(REQUEST_TIMEOUT).withMaxReconnectDelay(Duration.ofMillis(200)), server);
    store = connected.store();
  }

  @AfterAll
  static void stopRedis() {
    if (connected != null) {
      connected.close();
    }
  }

  @Test
  void whileRedisIsDownRequestsFailAtOnceAndTheStoreRecoversWhenItIsBackOnTheSamePort() {
    await(store.directory().putUser(ANNA));

    server.kill();
    // the first request may be the one that finds the connection gone; either way it fails at once
    assertUnavailableWithin(REQUEST_TIMEOUT.plus(PROMPTLY), store.directory().user("anna"));
    // later ones, while the store waits to reconnect, do not even try
    assertUnavailableWithin(PROMPTLY, store.directory().user("anna"));

    server.start();
    awaitRecovered();
    await(store.directory().putUser(ANNA));
    assertEquals(ANNA, await(store.directory().user("anna")));
  }

  @Test
  void aRequestToAServerThatStoppedAnsweringFailsWithinTheRequestTimeout() {
    await(store.directory().putUser(ANNA));

    server.freeze();
    try {
      assertUnavailableWithin(REQUEST_TIMEOUT.plus(PROMPTLY), store.directory().user("anna"));
      assertUnavailableWithin(REQUEST_TIMEOUT.plus(PROMPTLY), store.directory().user("anna"));
    } finally {
      server.thaw();
    }

    awaitRecovered();
    assertEquals(ANNA, await(store.directory().user("anna")));
  }

  private static void assertUnavailableWithin(Duration limit, Future<?> request) {
    long started = System.nanoTime();
    SwitchboardException failure = assertThrows(SwitchboardException.class, () -> await(request),
        "the request should fail while Redis is away");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(ErrorCode.STORE_UNAVAILABLE, failure.code(), failure::getMessage);
    assertTrue(took.compareTo(limit) < 0, () -> "the request took " + took.toMillis() + " ms, more than " + limit.toMillis());
  }

  /** Polls, within a deadline, until a request succeeds again. */
  private static void awaitRecovered() {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      try {
        await(store.directory().user("anna"));
        return;
      } catch (Exception stillDown) {
        if (System.nanoTime() > deadline) {
          fail("the store did not recover within " + RECOVERY.toSeconds() + " s: " + stillDown);
        }
      }
      RedisServer.pause(POLL_INTERVAL);
    }
  }
}
