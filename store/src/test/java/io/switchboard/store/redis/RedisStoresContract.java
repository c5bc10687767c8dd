package io.switchboard.store.redis;

import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.store.ConversationStoreContract;
import io.switchboard.store.DirectoryStoreContract;
import io.switchboard.store.LeaseRenewal;
import io.switchboard.store.MessageStoreContract;
import io.switchboard.store.PresenceStoreContract;
import io.switchboard.store.QueueStoreContract;
import io.switchboard.store.Reserved;
import io.switchboard.store.RulesStoreContract;
import io.switchboard.store.StoreContract;
import io.switchboard.store.Stores;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every slice's contract on the Redis store, plus what only a shared store must do: stores on separate connections
 * (nodes) see one state, and never push a member past its capacity however they race. Redis is started once per
 * test class and emptied before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisStoresContract {

  private static final int RACING_RESERVATIONS = 10_000;
  /** Reservations in flight at once from both nodes: a burst as large as the Redis connections admit. */
  private static final int RACING_AT_ONCE = 500;

  private ConnectedStore connected;
  /** A store on the same Redis with the message contract's limits. */
  private RedisStores limited;

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
    connected = ConnectedStore.connect(startRedis().withDecisionsKept(StoreContract.DECISIONS_KEPT), redis());
    limited = connected.another(MessageStoreContract.LIMITS);
  }

  @AfterAll
  void disconnect() {
    if (limited != null) {
      ConnectedStore.await(limited.close());
    }
    if (connected != null) {
      connected.close();
    }
  }

  Stores fresh() {
    flushRedis();
    return connected.store();
  }

  @Nested
  class Directory extends DirectoryStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Presence extends PresenceStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Conversations extends ConversationStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected Stores newStores() {
      flushRedis();
      return limited;
    }
  }

  @Nested
  class Rules extends RulesStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Queues extends QueueStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Shared extends StoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }

    @Test
    void racingReservationsFromTwoNodesNeverPushAMemberPastItsCapacity() {
      RedisStores other = connected.another();
      try {
        connect("cora", "c1");
        long granted = 0;
        for (int burst = 0; burst < RACING_RESERVATIONS; burst += RACING_AT_ONCE) {
          List<Future<Reserved>> reservations = IntStream.range(burst, burst + RACING_AT_ONCE)
              .mapToObj(i -> (i % 2 == 0 ? stores : other).conversations().reserve(reservation("cora", "c" + i, T0 + i)))
              .toList();
          granted += done(Future.all(reservations)).<Reserved>list().stream().filter(Reserved::granted).count();
        }

        assertEquals(1, granted, "cora takes one conversation at a time");
        assertEquals(1, done(other.directory().virtualUserStatus("solo")).members().get(0).load());
      } finally {
        done(other.close());
      }
    }

    @Test
    void twoNodesConnectingOneUserAtOnceReportEachChangeOnce() {
      RedisStores other = connected.another();
      try {
        List<PresenceChange> changes = done(Future.all(
                stores.presence().connect(new SessionRef("bob", "b1", "node-a", "node-a/1")),
                other.presence().connect(new SessionRef("bob", "b2", "node-b", "node-b/1"))))
            .<List<PresenceChange>>list().stream().flatMap(List::stream).toList();

        assertEquals(List.of(user("bob", "online")), changes.stream().filter(change -> !change.virtual()).toList());
        assertEquals(Set.of(virtual("shop", "online"), virtual("desk", "online")),
            Set.copyOf(changes.stream().filter(PresenceChange::virtual).toList()));
        assertEquals(3, changes.size(), () -> "each change once: " + changes);
      } finally {
        done(other.close());
      }
    }

    @Test
    void aNodeLearnsThatTheStoreLostEverythingAtItsNextRenewal() {
      String epoch = done(stores.presence().renewLease(NODE, T0, null)).epoch();
      assertEquals(LeaseRenewal.State.HELD, done(stores.presence().renewLease(NODE, T0 + 1000, epoch)).state());

      flushRedis();

      LeaseRenewal renewal = done(stores.presence().renewLease(NODE, T0 + 2000, epoch));
      assertEquals(LeaseRenewal.State.RESET, renewal.state());
      assertNotEquals(epoch, renewal.epoch());
      assertEquals(LeaseRenewal.State.HELD, done(stores.presence().renewLease(NODE, T0 + 3000, renewal.epoch())).state(),
          "the node then knows the new epoch");
    }

    @Test
    void scriptsAreSentAgainToAServerThatForgotThem() {
      connect("anna", "a1");
      flushScripts();

      assertTrue(reserve("anna", "c1", T0).granted());
    }
  }
}
