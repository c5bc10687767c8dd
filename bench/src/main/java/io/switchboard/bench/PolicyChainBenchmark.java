package io.switchboard.bench;

import io.switchboard.contract.Status;
import io.switchboard.directory.Condition;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.User;
import io.switchboard.router.PolicyChain;
import io.switchboard.router.RoutingContext;
import io.switchboard.router.Selection;
import io.switchboard.store.MemberState;
import io.switchboard.conversation.HistoryRecord;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link PolicyChain#select} over a virtual user of 10, 100 or 1,000 members, as the router runs it before it
 * reserves the member selected. Members: one in ten offline, loads 0–8 of a capacity of 8 (so some are full), half of them senior,
 * positions spread over the globe. The source has 20 history records with this virtual user.
 * <ul>
 *   <li>{@code stickyHit}: the default chain [sticky 24h, least-load]; the latest record is an hour old and names
 *       an available member, so sticky selects it.</li>
 *   <li>{@code stickyExpired}: the same chain; every record is older than a day, so least-load scans the members.</li>
 *   <li>{@code matchSenior}: [match level ≥ 3 → tier = senior, nearest] for a level-3 source: least-load among
 *       the seniors.</li>
 *   <li>{@code matchFallsToNearest}: the same chain for a level-1 source: match passes, nearest scans everyone.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyChainBenchmark {

  private static final int HISTORY = 20;
  private static final int CAPACITY = 8;
  private static final long NOW = 1_700_000_000_000L;
  private static final Geo BEIJING = new Geo(39.9, 116.4);

  @Param({"10", "100", "1000"})
  public int members;

  private Policy sticky;
  private Policy matchNearest;
  private RoutingContext recentHistory;
  private RoutingContext expiredHistory;
  private RoutingContext seniorSource;
  private RoutingContext juniorSource;

  @Setup
  public void setUp() {
    Random random = new Random(7);
    List<MemberState> candidates = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      User user = new User("m-" + i, null, new Geo(random.nextDouble() * 120 - 60, random.nextDouble() * 360 - 180),
          new JsonObject().put("tier", i % 2 == 0 ? "senior" : "junior"), CAPACITY);
      Status status = i % 10 == 9 ? Status.OFFLINE : Status.ONLINE;
      int load = i == 2 ? 1 : random.nextInt(CAPACITY + 1);
      candidates.add(new MemberState(user, status, load, NOW - random.nextInt(3_600_000)));
    }
    sticky = Policy.DEFAULT;
    matchNearest = new Policy(Policy.DEFAULT_AVAILABLE, List.of(
        new PolicyStep.Match(List.of(new Condition("level", Condition.Op.GE, 3, null)),
            List.of(new Condition("tier", Condition.Op.EQ, "senior", null))),
        new PolicyStep.Nearest()), Duration.ofSeconds(15), 3, false);
    // The latest record names member 2 (online, under capacity); older ones name others.
    List<HistoryRecord> recent = new ArrayList<>();
    List<HistoryRecord> expired = new ArrayList<>();
    for (int h = 0; h < HISTORY; h++) {
      String handler = "m-" + (h == 0 ? 2 : random.nextInt(members));
      recent.add(new HistoryRecord(NOW - 3_600_000L * (h + 1), "src-1", "vu-1", List.of(handler)));
      expired.add(new HistoryRecord(NOW - 86_400_000L * (h + 2), "src-1", "vu-1", List.of(handler)));
    }
    JsonObject level3 = new JsonObject().put("level", 3);
    JsonObject level1 = new JsonObject().put("level", 1);
    recentHistory = new RoutingContext("src-1", BEIJING, level3, recent, candidates, Set.of(), null, NOW);
    expiredHistory = new RoutingContext("src-1", BEIJING, level3, expired, candidates, Set.of(), null, NOW);
    seniorSource = new RoutingContext("src-1", BEIJING, level3, recent, candidates, Set.of(), null, NOW);
    juniorSource = new RoutingContext("src-1", BEIJING, level1, recent, candidates, Set.of(), null, NOW);
    requireSelected(PolicyChain.select(sticky, recentHistory), "sticky");
    requireSelected(PolicyChain.select(sticky, expiredHistory), "least-load");
    requireSelected(PolicyChain.select(matchNearest, seniorSource), "match");
    requireSelected(PolicyChain.select(matchNearest, juniorSource), "nearest");
  }

  /** The benchmark is only meaningful if each case takes the path it is named after. */
  private static void requireSelected(Selection selection, String step) {
    if (selection.selected() == null || !step.equals(selection.step())) {
      throw new IllegalStateException("expected a selection by " + step + ", got " + selection);
    }
  }

  @Benchmark
  public Selection stickyHit() {
    return PolicyChain.select(sticky, recentHistory);
  }

  @Benchmark
  public Selection stickyExpired() {
    return PolicyChain.select(sticky, expiredHistory);
  }

  @Benchmark
  public Selection matchSenior() {
    return PolicyChain.select(matchNearest, seniorSource);
  }

  @Benchmark
  public Selection matchFallsToNearest() {
    return PolicyChain.select(matchNearest, juniorSource);
  }
}
