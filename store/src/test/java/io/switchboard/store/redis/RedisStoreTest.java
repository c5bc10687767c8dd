package io.switchboard.store.redis;

import io.switchboard.contract.SessionRef;
import io.switchboard.store.RouteOutcome;
import io.switchboard.store.RouteRequest;
import io.switchboard.store.SwitchboardStore;
import io.switchboard.store.SwitchboardStoreContract;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Redis store on one Redis server obeys the store contract. One server and one store serve every test. */
class RedisStoreTest extends SwitchboardStoreContract {

  private static RedisServer server;
  private static Vertx vertx;
  private static RedisStore redisStore;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.builder().build().start();
    vertx = Vertx.vertx();
    redisStore = done(RedisStore.connect(vertx, RedisStoreOptions.standalone(server.uri()).withDecisionsKept(DECISIONS_KEPT)));
  }

  @AfterAll
  static void stopRedis() {
    if (redisStore != null) {
      done(redisStore.close());
    }
    if (vertx != null) {
      done(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected SwitchboardStore newStore() {
    server.flushAll();
    return redisStore;
  }

  @Test
  void scriptsAreSentAgainToAServerThatForgotThem() throws IOException {
    done(store.connect(new SessionRef("anna", "a1", "node-a")));
    server.call("SCRIPT", "FLUSH");

    RouteOutcome outcome = done(store.route(new RouteRequest("c1", "abc", "shop", null, null, Set.of(), 0)));

    assertEquals("anna", outcome.selected());
  }
}
