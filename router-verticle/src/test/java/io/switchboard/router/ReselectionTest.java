package io.switchboard.router;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.EventBusCodecs;
import io.switchboard.contract.GatewayMessage;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.OpenOutcome;
import io.switchboard.contract.OpenRequest;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.UserDelivery;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.directory.Policy;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.Reservation;
import io.switchboard.store.memory.InMemoryStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A reservation refused because another router took the member between the snapshot and the reservation: the
 * router selects again on fresh state, at most {@link RouterVerticle#RESELECTIONS} times. The race is played for
 * real on the in-memory store: just before each of the router's reservations, a rival open fills the selected
 * member's only place.
 */
class ReselectionTest {

  private static final String GATEWAY = "gw-test";
  private static final int MEMBERS = 6;

  private final InMemoryStores stores = new InMemoryStores(100);
  private final AtomicInteger racesLeft = new AtomicInteger();
  private final BlockingQueue<GatewayMessage> inbox = new LinkedBlockingQueue<>();
  private Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    EventBusCodecs.registerOn(vertx.eventBus());
    List<String> members = IntStream.rangeClosed(1, MEMBERS).mapToObj(i -> "m" + i).toList();
    for (String member : members) {
      await(stores.directory().putUser(new User(member, null, null, null, 1)));
      await(stores.presence().connect(new SessionRef(member, "s-" + member, "node-test", GATEWAY)));
    }
    await(stores.directory().putUser(new User("customer", null, null, null, null)));
    await(stores.directory().putVirtualUser(new VirtualUser("desk", null, members, Policy.DEFAULT)));
    vertx.eventBus().<GatewayMessage>consumer(Addresses.gateway(GATEWAY), message -> inbox.add(message.body()));
    RouterOptions options = new RouterOptions("node-test", Duration.ofSeconds(15), Duration.ofSeconds(60), 1, 1000);
    await(vertx.deployVerticle(new RouterVerticle(racing(stores.conversations()), stores.presence(),
        stores.queues(), stores.directory(), Clock.systemUTC(), options)));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aRefusedReservationSelectsAnotherMemberOnFreshState() throws Exception {
    racesLeft.set(2);

    open();

    UserDelivery offer = next(UserDelivery.class);
    assertInstanceOf(OfferEvent.class, offer.event(), "the member selected third is offered the conversation");
    RouteDecision decision = decision();
    assertEquals(offer.user(), decision.selected());
    assertEquals(2, reservationRefusals(decision), decision.toString());
  }

  @Test
  void afterTheBoundOfReselectionsTheOpenIsRefusedThoughAMemberIsFree() throws Exception {
    racesLeft.set(MEMBERS);

    open();

    OpenOutcome outcome = next(OpenOutcome.class);
    assertNull(outcome.opened());
    assertEquals(ErrorCode.UNAVAILABLE, outcome.code());
    RouteDecision decision = decision();
    assertNull(decision.selected());
    assertEquals(1 + RouterVerticle.RESELECTIONS, reservationRefusals(decision), decision.toString());
    assertEquals(MEMBERS - 1 - RouterVerticle.RESELECTIONS, racesLeft.get(), "members the rivals left free");
  }

  private void open() {
    vertx.eventBus().send(Addresses.ROUTER_OPEN, new OpenRequest("customer", "desk", new JsonObject(), GATEWAY, "o1"));
  }

  /** The decision recorded for the open (recorded beside the offer or the refusal, so polled for). */
  private RouteDecision decision() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<RouteDecision> decisions = List.of();
    while (decisions.isEmpty() && System.nanoTime() < deadline) {
      decisions = await(stores.conversations().decisions("desk", 1));
      if (decisions.isEmpty()) {
        inbox.poll(20, TimeUnit.MILLISECONDS);
      }
    }
    assertEquals(1, decisions.size(), "a decision is recorded");
    return decisions.get(0);
  }

  private static long reservationRefusals(RouteDecision decision) {
    return decision.trace().stream().filter(entry -> "reserve".equals(entry.step())
        && TraceEntry.PASSED.equals(entry.result())).count();
  }

  /** The store, except that a rival open takes the member's only place just before the router's reservation. */
  private ConversationStore racing(ConversationStore store) {
    return (ConversationStore) Proxy.newProxyInstance(ConversationStore.class.getClassLoader(),
        new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
          Future<Void> before = Future.succeededFuture();
          if (method.getName().equals("reserve") && racesLeft.getAndDecrement() > 0) {
            Reservation ours = (Reservation) args[0];
            before = store.reserve(new Reservation(ours.member(), "c-rival-" + racesLeft.get(), ours.available(),
                "node-rival", ours.offersPerSecond(), ours.now())).mapEmpty();
          }
          return before.compose(raced -> {
            try {
              return (Future<?>) method.invoke(store, args);
            } catch (InvocationTargetException | IllegalAccessException e) {
              return Future.failedFuture(e.getCause() != null ? e.getCause() : e);
            }
          });
        });
  }

  /** The next message of {@code type} to the gateway, skipping others (offers withdrawn, outcomes). */
  private <T extends GatewayMessage> T next(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      GatewayMessage message = inbox.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
