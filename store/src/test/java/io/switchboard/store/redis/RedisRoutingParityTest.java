package io.switchboard.store.redis;

import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.directory.Condition;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.Conversation;
import io.switchboard.store.HistoryRecord;
import io.switchboard.store.InMemoryStore;
import io.switchboard.store.RouteOutcome;
import io.switchboard.store.RouteRequest;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static io.switchboard.store.redis.ConnectedStore.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code route.lua} decides as {@link io.switchboard.routing.PolicyChain} does: random directories, policies,
 * statuses, histories and loads are given to the Redis store and to the in-memory store alike, and every routing
 * outcome — member, deciding step and each step's reason — must be the same.
 */
class RedisRoutingParityTest {

  private static final long SEED = 20240116L;
  private static final int SCENARIOS = 150;
  private static final int ROUTES_PER_SCENARIO = 8;
  private static final long T0 = 1_705_410_355_000L;
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final String VIRTUAL_USER = "shop";
  private static final String NODE = "node-a";
  private static final List<String> SOURCES = List.of("abc", "xyz", "m1");
  private static final List<Geo> PLACES = List.of(new Geo(39.90, 116.40), new Geo(31.23, 121.47),
      new Geo(52.52, 13.40), new Geo(39.13, 117.20), new Geo(48.86, 2.35));
  private static final List<String> LANGUAGES = List.of("zh", "de", "en");
  private static final List<String> TIERS = List.of("senior", "junior");

  private static RedisServer server;
  private static ConnectedStore connected;
  private static RedisStore redis;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.builder().build().start();
    connected = ConnectedStore.connect(RedisStoreOptions.standalone(server.uri()).withDecisionsKept(3), server);
    redis = connected.store();
  }

  @AfterAll
  static void stopRedis() {
    if (connected != null) {
      connected.close();
    }
  }

  @Test
  void redisRoutesAsThePolicyChainDoes() {
    Random random = new Random(SEED);
    for (int scenario = 0; scenario < SCENARIOS; scenario++) {
      server.flushAll();
      new Scenario(random, new InMemoryStore(3), scenario).run();
    }
  }

  /** One directory and a series of routes, applied to both stores. */
  private static final class Scenario {
    private final Random random;
    private final InMemoryStore memory;
    private final int number;
    private final List<String> members = new ArrayList<>();
    private final List<Conversation> open = new ArrayList<>();

    Scenario(Random random, InMemoryStore memory, int number) {
      this.random = random;
      this.memory = memory;
      this.number = number;
    }

    void run() {
      int count = 2 + random.nextInt(4);
      for (int i = 1; i <= count; i++) {
        members.add("m" + i);
      }
      for (String id : List.of("abc", "xyz")) {
        both(store -> store.putUser(new User(id, null, null, null, null)));
      }
      for (String member : members) {
        User user = member(member);
        both(store -> store.putUser(user));
      }
      VirtualUser virtualUser = new VirtualUser(VIRTUAL_USER, null, members, policy());
      both(store -> store.putVirtualUser(virtualUser));
      members.forEach(this::presence);
      List<HistoryRecord> history = history();
      both(store -> store.addHistory(history));

      for (int i = 0; i < ROUTES_PER_SCENARIO; i++) {
        routeOnce(T0 + i * 1000L, i);
      }
    }

    private void routeOnce(long now, int index) {
      String source = SOURCES.get(random.nextInt(SOURCES.size()));
      Set<String> excluded = new HashSet<>();
      members.stream().filter(member -> random.nextInt(6) == 0).forEach(excluded::add);
      Geo geo = random.nextBoolean() ? PLACES.get(random.nextInt(PLACES.size())) : null;
      JsonObject attributes = new JsonObject().put("level", 1 + random.nextInt(5))
          .put("language", LANGUAGES.get(random.nextInt(LANGUAGES.size())));
      String conversation = "c" + number + "-" + index;
      RouteRequest request = new RouteRequest(conversation, source, VIRTUAL_USER, geo, attributes, excluded, now);

      RouteOutcome expected = await(memory.route(request));
      RouteOutcome actual = await(redis.route(request));
      assertEquals(expected, actual, () -> "scenario " + number + ", route " + index + ": " + request);

      String selected = expected.selected();
      int next = random.nextInt(3);
      if (selected != null && next == 0) {
        Conversation opened = new Conversation(conversation, source, VIRTUAL_USER, selected, false, now);
        both(store -> store.open(opened));
        open.add(opened);
      } else if (selected != null && next == 1) {
        both(store -> store.release(VIRTUAL_USER, selected));
      } else if (!open.isEmpty()) {
        Conversation closing = open.remove(random.nextInt(open.size()));
        both(store -> store.close(closing.id(), closing.source()));
      }
    }

    private User member(String id) {
      JsonObject attributes = new JsonObject()
          .put("tier", TIERS.get(random.nextInt(TIERS.size())))
          .put("language", LANGUAGES.get(random.nextInt(LANGUAGES.size())))
          .put("level", random.nextInt(6));
      if (random.nextBoolean()) {
        attributes.put("skills", new JsonArray().add("returns").add(random.nextBoolean() ? "billing" : "repairs"));
      }
      Geo geo = random.nextInt(4) == 0 ? null : PLACES.get(random.nextInt(PLACES.size()));
      Integer capacity = random.nextBoolean() ? null : 1 + random.nextInt(3);
      return new User(id, null, geo, attributes, capacity);
    }

    private Policy policy() {
      List<PolicyStep> chain = new ArrayList<>();
      int steps = 1 + random.nextInt(4);
      for (int i = 0; i < steps; i++) {
        chain.add(step());
      }
      Set<Status> available = random.nextInt(3) == 0 ? Set.of(Status.ONLINE) : Policy.DEFAULT_AVAILABLE;
      return new Policy(available, chain, Policy.DEFAULT_OFFER_TIMEOUT, Policy.DEFAULT_MAX_OFFERS, false);
    }

    private PolicyStep step() {
      return switch (random.nextInt(6)) {
        case 0 -> new PolicyStep.Sticky(Duration.ofHours(random.nextBoolean() ? 1 : 24), PolicyStep.Among.LATEST);
        case 1 -> new PolicyStep.Sticky(Duration.ofMinutes(90 + random.nextInt(2000)), PolicyStep.Among.NEAREST);
        case 2 -> new PolicyStep.LeastLoad();
        case 3 -> new PolicyStep.Nearest();
        case 4 -> new PolicyStep.RoundRobin();
        default -> new PolicyStep.Match(random.nextBoolean() ? List.of()
            : List.of(new Condition("level", Condition.Op.GE, 1 + random.nextInt(5), null)), List.of(memberCondition()));
      };
    }

    private Condition memberCondition() {
      return switch (random.nextInt(5)) {
        case 0 -> new Condition("tier", Condition.Op.EQ, TIERS.get(random.nextInt(TIERS.size())), null);
        case 1 -> new Condition("language", Condition.Op.EQ, null, "language");
        case 2 -> new Condition("level", Condition.Op.LT, null, "level");
        case 3 -> new Condition("skills", Condition.Op.CONTAINS, "billing", null);
        default -> new Condition("language", Condition.Op.IN, new JsonArray().add("de").add("en"), null);
      };
    }

    private void presence(String member) {
      int choice = random.nextInt(5);
      if (choice == 0) {
        return;
      }
      both(store -> store.connect(new SessionRef(member, member + "-s", NODE)));
      if (choice >= 3) {
        Status status = choice == 3 ? Status.BUSY : Status.AWAY;
        both(store -> store.setStatus(new StatusRequest(member, status, null)));
      }
    }

    private List<HistoryRecord> history() {
      List<HistoryRecord> records = new ArrayList<>();
      int count = random.nextInt(5);
      for (int i = 0; i < count; i++) {
        String handler = random.nextInt(5) == 0 ? "ghost" : members.get(random.nextInt(members.size()));
        List<String> subUsers = random.nextInt(4) == 0
            ? List.of(handler, members.get(random.nextInt(members.size()))).stream().distinct().toList()
            : List.of(handler);
        long age = (long) (random.nextDouble() * 40 * HOUR);
        records.add(new HistoryRecord(T0 - age, SOURCES.get(random.nextInt(2)), VIRTUAL_USER, subUsers));
      }
      return records;
    }

    /** Applies one operation to both stores, the in-memory one first. */
    private <T> void both(Function<SwitchboardStore, Future<T>> operation) {
      await(operation.apply(memory));
      await(operation.apply(redis));
    }
  }
}
