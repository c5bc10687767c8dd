package io.switchboard.store;

import io.switchboard.contract.OpenRequest;
import io.switchboard.directory.QueuePolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store's queues must do (docs/POLICY.md § Queue). */
public abstract class QueueStoreContract extends StoreContract {

  private static final QueuePolicy THREE = new QueuePolicy(3, Duration.ofMinutes(10), null);

  private static QueueEntry entry(String key, int priority) {
    return new QueueEntry(key, "c-" + key, new OpenRequest("src-" + key, "shop", new JsonObject(), GATEWAY, key),
        priority, T0, T0 + 600_000, List.of(), NODE, 0);
  }

  private QueueChange enqueue(String key, int priority, QueuePolicy policy) {
    return done(stores.queues().enqueue(entry(key, priority), policy));
  }

  private QueueEntry head(String destination) {
    List<QueueEntry> front = done(stores.queues().waiting(destination, 1));
    return front.isEmpty() ? null : front.get(0);
  }

  private List<String> order() {
    return done(stores.queues().waiting("shop", 100)).stream().map(QueueEntry::key).toList();
  }

  private static List<String> positions(QueueChange change) {
    return change.moved().stream().map(w -> w.entry().key() + "@" + w.position()).toList();
  }

  @Test
  void entriesWaitByPriorityThenArrivalAndTellWhoMovedBack() {
    assertEquals(1, enqueue("a", 0, THREE).position());
    assertEquals(2, enqueue("b", 0, THREE).position());
    QueueChange urgent = enqueue("c", 5, THREE);

    assertEquals(1, urgent.position());
    assertEquals(List.of("a@2", "b@3"), positions(urgent));
    assertEquals(List.of("c", "a", "b"), order());
    assertEquals("c", head("shop").key());
    assertEquals("src-c", head("shop").request().source());
  }

  @Test
  void theRoutingStateCountsTheOpensWaitingButNotThoseTakenOutToBeOffered() {
    assertEquals(0, waitingInRoutingState());
    enqueue("a", 0, THREE);
    enqueue("b", 0, THREE);
    assertEquals(2, waitingInRoutingState());

    assertTrue(done(stores.queues().take("shop", "a", NODE)).changed());
    assertEquals(1, waitingInRoutingState());
    done(stores.queues().remove("shop", "b"));
    assertEquals(0, waitingInRoutingState());
  }

  private int waitingInRoutingState() {
    return done(stores.conversations().routingState("shop", "src-a", T0)).waiting();
  }

  @Test
  void aFullQueueRefusesAndChangesNothingUnlessThePriorityMayBypassIt() {
    QueuePolicy bypassAtFive = new QueuePolicy(2, Duration.ofMinutes(10), 5);
    enqueue("a", 0, bypassAtFive);
    enqueue("b", 0, bypassAtFive);

    QueueChange refused = enqueue("c", 4, bypassAtFive);
    assertFalse(refused.changed());
    assertEquals(List.of("a", "b"), order());

    QueueChange bypassed = enqueue("d", 5, bypassAtFive);
    assertEquals(1, bypassed.position());
    assertEquals(List.of("d", "a", "b"), order());
  }

  @Test
  void removingAnEntryMovesUpThoseBehindItAndOnlyOneCallerGetsIt() {
    enqueue("a", 0, THREE);
    enqueue("b", 0, THREE);
    enqueue("c", 0, THREE);

    QueueChange taken = done(stores.queues().remove("shop", "a"));
    assertEquals("a", taken.entry().key());
    assertEquals(List.of("b@1", "c@2"), positions(taken));
    assertFalse(done(stores.queues().remove("shop", "a")).changed(), "taken once only");

    QueueChange middle = done(stores.queues().remove("shop", "c"));
    assertEquals(List.of(), positions(middle));
    assertEquals(List.of("b"), order());
  }

  @Test
  void anEntryThatComesBackKeepsItsPlace() {
    QueueEntry first = enqueue("a", 0, THREE).entry();
    enqueue("b", 0, THREE);
    done(stores.queues().remove("shop", "a"));

    QueueChange back = done(stores.queues().enqueue(first, THREE));

    assertEquals(1, back.position());
    assertEquals(List.of("b@2"), positions(back));
    assertEquals(List.of("a", "b"), order());
  }

  @Test
  void anEntryAlreadyWaitingIsNotAddedTwice() {
    enqueue("a", 0, THREE);
    enqueue("b", 0, THREE);

    QueueChange again = enqueue("a", 0, THREE);

    assertEquals(1, again.position());
    assertEquals(List.of("a", "b"), order());
  }

  @Test
  void queuesOfDifferentVirtualUsersAreApart() {
    enqueue("a", 0, THREE);
    assertNull(head("desk"));
    assertFalse(done(stores.queues().remove("desk", "a")).changed());
    assertEquals(List.of("a"), order());
  }

  @Test
  void theMeanHandlingTimeIsOfTheNewestSamples() {
    assertNull(enqueue("a", 0, THREE).meanHandling());
    for (int i = 0; i < QueueStore.HANDLING_SAMPLES; i++) {
      done(stores.queues().recordHandling("shop", 1000));
    }
    done(stores.queues().recordHandling("shop", 1000 + 20 * QueueStore.HANDLING_SAMPLES));

    assertEquals(Long.valueOf(1020), enqueue("b", 0, THREE).meanHandling(), "the oldest sample is dropped");
    assertEquals(Long.valueOf(1020), done(stores.queues().remove("shop", "a")).meanHandling());
  }

  @Test
  void anEntryTakenToBeOfferedWaitsNoMoreAndGoesBackInItsPlaceWhenItsNodeIsGone() {
    enqueue("a", 0, THREE);
    enqueue("b", 0, THREE);
    enqueue("c", 0, THREE);

    QueueChange taken = done(stores.queues().take("shop", "a", NODE));
    assertEquals(List.of("b@1", "c@2"), positions(taken));
    assertEquals(List.of("b", "c"), order());
    assertFalse(done(stores.queues().take("shop", "a", "node-b")).changed(), "taken once only");

    assertEquals(0, done(stores.queues().returnOffered("shop", "node-b")));
    assertEquals(1, done(stores.queues().returnOffered("shop", NODE)));
    assertEquals(List.of("a", "b", "c"), order());
    assertEquals(0, done(stores.queues().returnOffered("shop", NODE)), "returned once");
  }

  @Test
  void anEntryTakenAndSettledOrBackInTheQueueIsNotReturnedAgain() {
    QueueEntry a = enqueue("a", 0, THREE).entry();
    enqueue("b", 0, THREE);
    enqueue("c", 0, THREE);
    done(stores.queues().take("shop", "a", NODE));
    done(stores.queues().take("shop", "b", NODE));

    assertFalse(done(stores.queues().remove("shop", "b")).changed(), "b was not waiting: only forgotten");
    assertEquals(1, done(stores.queues().enqueue(a, THREE)).position(), "an offer fell through: a waits again");

    assertEquals(0, done(stores.queues().returnOffered("shop", NODE)));
    assertEquals(List.of("a", "c"), order());
  }

  @Test
  void concurrentTakesOfTheHeadGiveItToExactlyOne() {
    QueuePolicy many = new QueuePolicy(50, Duration.ofMinutes(10), null);
    for (int i = 0; i < 20; i++) {
      enqueue("e" + i, i % 3, many);
    }
    Set<String> served = ConcurrentHashMap.newKeySet();
    List<io.vertx.core.Future<QueueChange>> attempts = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      QueueEntry head = head("shop");
      for (int rival = 0; rival < 3; rival++) {
        attempts.add(stores.queues().take("shop", head.key(), "node-" + rival).onSuccess(change -> {
          if (change.changed()) {
            assertTrue(served.add(change.entry().key()), "served twice: " + change.entry().key());
          }
        }));
      }
      done(io.vertx.core.Future.all(attempts));
    }
    assertEquals(20, served.size());
    assertNull(head("shop"));
  }
}
