package io.switchboard.gateway;

import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.contract.SwitchboardMetrics.Observed;
import io.switchboard.store.redis.RedisServer;
import io.switchboard.store.redis.RedisStoreOptions;
import io.switchboard.store.redis.RedisStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What becomes of observations for the adaptive manager on a real Redis (docs/RULES.md § "Suggestions",
 * docs/OPERATIONS.md): past {@link Observations#MAX_PENDING} writes waiting, one gateway drops the rest, and a store
 * that cannot keep one is counted; nothing is waited for by the caller.
 */
class ObservationsTest {

  private static final long T0 = 1_767_000_000_000L;

  private final Vertx vertx = Vertx.vertx();
  private RedisServer redis;

  /** Counts each outcome and lets the test wait for a number of them. */
  private static final class Outcomes implements SwitchboardMetrics {
    private final Map<Observed, Integer> counts = new EnumMap<>(Observed.class);
    private CountDownLatch awaited = new CountDownLatch(0);

    @Override
    public synchronized void observation(Observed outcome) {
      counts.merge(outcome, 1, Integer::sum);
      awaited.countDown();
    }

    synchronized CountDownLatch expect(int outcomes) {
      awaited = new CountDownLatch(outcomes);
      return awaited;
    }

    synchronized int of(Observed outcome) {
      return counts.getOrDefault(outcome, 0);
    }
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    if (redis != null) {
      redis.close();
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitOutcomes(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(30, TimeUnit.SECONDS), "outcomes still awaited: " + latch.getCount());
  }

  @Test
  void pastItsBoundAGatewayDropsObservationsAndCountsThemAsItCountsThoseAFailedStoreDidNotKeep() throws Exception {
    redis = RedisServer.builder().build().start();
    RedisStores stores = await(RedisStores.connect(vertx, RedisStoreOptions.standalone(redis.uri())));
    Outcomes outcomes = new Outcomes();
    Observations observations = new Observations(stores.rules(), outcomes);
    Context gateway = vertx.getOrCreateContext();

    int written = Observations.MAX_PENDING + 44;
    CountDownLatch all = outcomes.expect(written);
    // In one turn of the event loop, as a burst of messages would: no write has been answered yet.
    gateway.runOnContext(turn -> {
      for (int i = 0; i < written; i++) {
        observations.received("abc", "c-1", i + 1, "bob", false, T0 + i);
      }
    });
    awaitOutcomes(all);
    assertEquals(Observations.MAX_PENDING, outcomes.of(Observed.RECORDED));
    assertEquals(44, outcomes.of(Observed.DROPPED));
    assertEquals(Observations.MAX_PENDING, await(stores.rules().adaptiveState("abc")).observations().size());

    // Once writes were answered there is room again.
    CountDownLatch next = outcomes.expect(1);
    gateway.runOnContext(turn -> observations.sent("abc", "c-1", written + 1, true, T0 + written));
    awaitOutcomes(next);
    assertEquals(Observations.MAX_PENDING + 1, outcomes.of(Observed.RECORDED));

    redis.close();
    CountDownLatch failed = outcomes.expect(1);
    gateway.runOnContext(turn -> observations.sent("abc", "c-1", written + 2, true, T0 + written));
    awaitOutcomes(failed);
    assertEquals(1, outcomes.of(Observed.FAILED));
  }
}
