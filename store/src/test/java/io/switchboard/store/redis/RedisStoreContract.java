package io.switchboard.store.redis;

import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.store.RouteOutcome;
import io.switchboard.store.RouteRequest;
import io.switchboard.store.SwitchboardStore;
import io.switchboard.store.SwitchboardStoreContract;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store contract for the Redis store, with what only a shared store must do besides: stores on separate
 * connections (nodes) see one state, and never push a member past its capacity however they race. Redis is started
 * once per test class and emptied before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisStoreContract extends SwitchboardStoreContract {

  private static final int RACING_ROUTES = 40;

  private ConnectedStore connected;

  /** Starts Redis and tells how to reach it. */
  protected abstract RedisStoreOptions startRedis();

  /** The started Redis fixture, stopped after the tests. */
  protected abstract AutoCloseable redis();

  /** Removes every key. */
  protected abstract void flushRedis();

  /** Makes Redis forget the scripts, as a restart would. */
  protected abstract void flushScripts();

  @BeforeAll
  void connect() {
    connected = ConnectedStore.connect(startRedis().withDecisionsKept(DECISIONS_KEPT), redis());
  }

  @AfterAll
  void disconnect() {
    if (connected != null) {
      connected.close();
    }
  }

  @Override
  protected SwitchboardStore newStore() {
    flushRedis();
    return connected.store();
  }

  @Test
  void racingRoutesFromTwoNodesNeverPushAMemberPastItsCapacity() {
    RedisStore other = connected.another();
    try {
      done(store.connect(new SessionRef("cora", "c1", "node-a")));
      List<Future<RouteOutcome>> routes = IntStream.range(0, RACING_ROUTES)
          .mapToObj(i -> (i % 2 == 0 ? store : other).route(new RouteRequest("c" + i, "abc", "solo", null, null, Set.of(), i)))
          .toList();

      List<RouteOutcome> outcomes = done(Future.all(routes)).list();

      assertEquals(1, outcomes.stream().filter(outcome -> "cora".equals(outcome.selected())).count(),
          "cora takes one conversation at a time");
      assertEquals(1, done(other.virtualUserStatus("solo")).members().get(0).load());
    } finally {
      done(other.close());
    }
  }

  @Test
  void twoNodesConnectingOneUserAtOnceReportEachChangeOnce() {
    RedisStore other = connected.another();
    try {
      List<PresenceChange> changes = done(Future.all(
              store.connect(new SessionRef("bob", "b1", "node-a")), other.connect(new SessionRef("bob", "b2", "node-b"))))
          .<List<PresenceChange>>list().stream().flatMap(List::stream).toList();

      assertEquals(List.of(new PresenceChange("bob", "online", false)),
          changes.stream().filter(change -> !change.virtual()).toList());
      assertEquals(Set.of(new PresenceChange("shop", "online", true), new PresenceChange("desk", "online", true)),
          Set.copyOf(changes.stream().filter(PresenceChange::virtual).toList()));
      assertEquals(3, changes.size(), () -> "each change once: " + changes);
    } finally {
      done(other.close());
    }
  }

  @Test
  void scriptsAreSentAgainToAServerThatForgotThem() {
    done(store.connect(new SessionRef("anna", "a1", "node-a")));
    flushScripts();

    RouteOutcome outcome = done(store.route(new RouteRequest("c1", "abc", "shop", null, null, Set.of(), 0)));

    assertEquals("anna", outcome.selected());
  }
}
