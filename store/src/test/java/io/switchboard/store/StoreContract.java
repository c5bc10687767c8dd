package io.switchboard.store;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.conversation.Conversation;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every store implementation must do, run through the slices' interfaces only; each slice has a contract of
 * its own extending this one, and each store (embedded, Redis, Redis Cluster) runs every contract. Operations are
 * awaited, so a store that answers later (over the network) runs the same suite as one that answers at once.
 *
 * <p>The directory: clients {@code abc} and {@code xyz}; members {@code anna} and {@code bob} of the virtual user
 * {@code shop}; {@code bob} also belongs to {@code desk}, whose other member {@code cora} takes one conversation at a
 * time; {@code solo} has {@code cora} alone.
 */
public abstract class StoreContract {

  /** How many routing decisions per virtual user the store under test must keep. */
  public static final int DECISIONS_KEPT = 5;

  protected static final long T0 = 1_705_410_355_000L;
  protected static final String NODE = "node-a";
  protected static final String GATEWAY = "node-a/1";
  protected static final Set<Status> AVAILABLE = Policy.DEFAULT_AVAILABLE;
  private static final long WAIT_SECONDS = 10;

  protected Stores stores;

  /** New, empty stores that keep {@link #DECISIONS_KEPT} decisions per virtual user. */
  protected abstract Stores newStores();

  @BeforeEach
  void fillDirectory() {
    stores = newStores();
    for (String id : List.of("abc", "xyz", "anna", "bob")) {
      done(stores.directory().putUser(new User(id, null, null, null, null)));
    }
    done(stores.directory().putUser(new User("cora", null, null, null, 1)));
    putVirtualUser("shop", "anna", "bob");
    putVirtualUser("desk", "bob", "cora");
    putVirtualUser("solo", "cora");
  }

  protected void putVirtualUser(String id, String... members) {
    done(stores.directory().putVirtualUser(new VirtualUser(id, null, List.of(members), Policy.DEFAULT)));
  }

  /** A virtual user with this policy chain (the default policy otherwise). */
  protected void putVirtualUser(String id, List<PolicyStep> chain, String... members) {
    Policy policy = new Policy(Policy.DEFAULT_AVAILABLE, chain, Policy.DEFAULT_OFFER_TIMEOUT, Policy.DEFAULT_MAX_OFFERS, false);
    done(stores.directory().putVirtualUser(new VirtualUser(id, null, List.of(members), policy)));
  }

  protected static SessionRef session(String user, String session) {
    return new SessionRef(user, session, NODE, GATEWAY);
  }

  protected List<PresenceChange> connect(String user, String session) {
    return done(stores.presence().connect(session(user, session)));
  }

  protected List<PresenceChange> disconnect(String user, String session) {
    return done(stores.presence().disconnect(session(user, session)));
  }

  protected List<PresenceChange> setStatus(String user, Status status) {
    return done(stores.presence().setStatus(new StatusRequest(user, status, null)));
  }

  protected static PresenceChange user(String id, String status) {
    return new PresenceChange(id, status, false);
  }

  protected static PresenceChange virtual(String id, String status) {
    return new PresenceChange(id, status, true);
  }

  /** The changes, each once, in any order: the store may report a member's virtual users in any order. */
  protected static void assertChanges(List<PresenceChange> actual, PresenceChange... expected) {
    assertEquals(Set.of(expected), new HashSet<>(actual), () -> "changes " + actual);
    assertEquals(expected.length, actual.size(), () -> "changes " + actual);
  }

  /** A reservation of {@code member} for {@code conversation} by this node's router, at most 100 offers a second. */
  protected static Reservation reservation(String member, String conversation, long now) {
    return new Reservation(member, conversation, AVAILABLE, NODE, 100, now);
  }

  protected Reserved reserve(String member, String conversation, long now) {
    return done(stores.conversations().reserve(reservation(member, conversation, now)));
  }

  /** Reserves {@code agent} and opens {@code conversation} of {@code abc} with {@code destination} through it. */
  protected Conversation open(String conversation, String destination, String agent, long now) {
    Reserved reserved = reserve(agent, conversation, now);
    assertTrue(reserved.granted(), () -> agent + " should have been reserved: " + reserved.refusal());
    Conversation opened = new Conversation(conversation, "abc", destination, agent, false, now);
    done(stores.conversations().open(opened, NODE));
    return opened;
  }

  /** Waits for a store operation and returns its value, failing the test if the operation failed. */
  protected static <T> T done(Future<T> operation) {
    Future<T> settled = settled(operation);
    assertTrue(settled.succeeded(), () -> "the store failed: " + settled.cause());
    return settled.result();
  }

  /** Asserts that a store operation fails with {@code code}. */
  protected static void assertFails(ErrorCode code, Future<?> operation) {
    Future<?> settled = settled(operation);
    assertFalse(settled.succeeded(), () -> "expected " + code.wire() + " but got " + settled.result());
    SwitchboardException failure = assertInstanceOf(SwitchboardException.class, settled.cause());
    assertEquals(code, failure.code(), failure::getMessage);
  }

  protected static <T> Future<T> settled(Future<T> operation) {
    try {
      operation.toCompletionStage().toCompletableFuture().handle((value, failure) -> null)
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while waiting for the store");
    } catch (ExecutionException | TimeoutException e) {
      fail("the store did not answer within " + WAIT_SECONDS + " s");
    }
    return operation;
  }
}
