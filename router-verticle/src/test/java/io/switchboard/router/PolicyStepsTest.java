package io.switchboard.router;

import io.switchboard.contract.Status;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.User;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.store.MemberState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.switchboard.contract.Status.OFFLINE;
import static io.switchboard.contract.Status.ONLINE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steps beyond the default chain — sticky among nearest, nearest, match, round-robin — each as the first
 * step of a chain that ends in least-load, so a passing step shows as least-load's choice.
 */
class PolicyStepsTest {

  private static final long NOW = 1_705_410_355_000L;
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final Geo BEIJING = new Geo(39.90, 116.40);
  private static final Geo SHANGHAI = new Geo(31.23, 121.47);
  private static final Geo BERLIN = new Geo(52.52, 13.40);
  private static final Geo TIANJIN = new Geo(39.13, 117.20);

  record Case(String name, PolicyStep step, Context context, String selected, String deciding, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A decision's inputs: the source's position and attributes, history, members and the round-robin cursor. */
  record Context(Geo geo, JsonObject attributes, List<HistoryRecord> history, List<MemberState> members, String lastInTurn) {
    RoutingContext at(long now) {
      return new RoutingContext("abc", geo, attributes, history, members, Set.of(), lastInTurn, now);
    }
  }

  static Stream<Case> cases() {
    List<MemberState> spread = List.of(
        member("bj", BEIJING, 3, new JsonObject().put("tier", "senior").put("language", "zh")),
        member("sh", SHANGHAI, 0, new JsonObject().put("tier", "junior").put("language", "zh")),
        member("be", BERLIN, 1, new JsonObject().put("tier", "senior").put("language", "de")
            .put("skills", new JsonArray().add("returns").add("billing"))));
    JsonObject level3 = new JsonObject().put("level", 3).put("language", "de");
    JsonObject level1 = new JsonObject().put("level", 1).put("language", "zh");
    List<HistoryRecord> bjAndBe = List.of(handled(NOW - HOUR, "be"), handled(NOW - 2 * HOUR, "bj"));
    PolicyStep stickyNearest = new PolicyStep.Sticky(Duration.ofHours(24), PolicyStep.Among.NEAREST);
    return Stream.of(
        new Case("nearest picks the member closest to the source", new PolicyStep.Nearest(),
            new Context(TIANJIN, new JsonObject(), List.of(), spread, null), "bj", "nearest", "bj is nearest"),
        new Case("nearest passes without a source position", new PolicyStep.Nearest(),
            new Context(null, new JsonObject(), List.of(), spread, null), "sh", "least-load", "the source has no position"),
        new Case("sticky among nearest takes the nearest member with a valid record, not the latest",
            stickyNearest, new Context(TIANJIN, new JsonObject(), bjAndBe, spread, null), "bj", "sticky", "bj is nearest"),
        new Case("sticky among nearest ignores expired records", stickyNearest,
            new Context(TIANJIN, new JsonObject(), List.of(handled(NOW - 30 * HOUR, "bj")), spread, null),
            "sh", "least-load", "no history record within PT24H"),
        new Case("match selects among members satisfying select, by least load",
            match(List.of(cond("level", ">=", 3)), List.of(cond("tier", "=", "senior"))),
            new Context(null, level3, List.of(), spread, null), "be", "match", "be satisfies tier = senior"),
        new Case("match passes when the source does not satisfy when",
            match(List.of(cond("level", ">=", 3)), List.of(cond("tier", "=", "senior"))),
            new Context(null, level1, List.of(), spread, null), "sh", "least-load", "the source does not satisfy level >= 3"),
        new Case("match compares a member attribute with the source's",
            match(List.of(), List.of(sourceCond("language", "language"))),
            new Context(null, level3, List.of(), spread, null), "be", "match", "language = source.language"),
        new Case("match with in and contains",
            match(List.of(cond("language", "in", new JsonArray().add("de").add("fr"))), List.of(cond("skills", "contains", "billing"))),
            new Context(null, level3, List.of(), spread, null), "be", "match", "skills contains billing"),
        new Case("match passes when no member qualifies",
            match(List.of(), List.of(cond("tier", "=", "principal"))),
            new Context(null, level3, List.of(), spread, null), "sh", "least-load", "no available member under capacity satisfies"),
        new Case("round-robin starts with the first member", new PolicyStep.RoundRobin(),
            new Context(null, new JsonObject(), List.of(), spread, null), "bj", "round-robin", "bj is next in turn"),
        new Case("round-robin takes the member after the last one, whatever the loads", new PolicyStep.RoundRobin(),
            new Context(null, new JsonObject(), List.of(), spread, "bj"), "sh", "round-robin", "sh is next in turn after bj"),
        new Case("round-robin wraps around and skips the unavailable", new PolicyStep.RoundRobin(),
            new Context(null, new JsonObject(), List.of(),
                List.of(spread.get(0), offline("sh"), spread.get(2)), "be"), "bj", "round-robin", "bj is next in turn after be"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void selects(Case c) {
    Policy policy = new Policy(Policy.DEFAULT_AVAILABLE, List.of(c.step(), new PolicyStep.LeastLoad()),
        Policy.DEFAULT_OFFER_TIMEOUT, Policy.DEFAULT_MAX_OFFERS, false);
    Selection selection = PolicyChain.select(policy, c.context().at(NOW));
    assertAll(
        () -> assertEquals(c.selected(), selection.selected(), "selected"),
        () -> assertEquals(c.deciding(), selection.step(), "step"),
        () -> assertTrue(selection.trace().get(0).reason().contains(c.reason()),
            () -> "first step's reason should mention '" + c.reason() + "': " + selection.trace()));
  }

  @Test
  void capacityFiltersTheNewStepsToo() {
    List<MemberState> full = List.of(
        new MemberState(new User("near", null, TIANJIN, new JsonObject().put("tier", "senior"), 1), ONLINE, 1, 0),
        new MemberState(new User("far", null, BERLIN, new JsonObject().put("tier", "senior"), 5), ONLINE, 4, 0));
    for (PolicyStep step : List.of(new PolicyStep.Nearest(), new PolicyStep.RoundRobin(),
        match(List.of(), List.of(cond("tier", "=", "senior"))))) {
      Policy policy = new Policy(Policy.DEFAULT_AVAILABLE, List.of(step), Policy.DEFAULT_OFFER_TIMEOUT, 3, false);
      assertEquals("far", PolicyChain.select(policy, new Context(BEIJING, new JsonObject(), List.of(), full, null).at(NOW))
          .selected(), step.type());
    }
  }

  private static PolicyStep match(List<JsonObject> when, List<JsonObject> select) {
    JsonObject json = new JsonObject().put("type", "match").put("when", new JsonArray(when)).put("select", new JsonArray(select));
    return Policy.fromJson(new JsonObject().put("chain", new JsonArray().add(json))).chain().get(0);
  }

  private static JsonObject cond(String attribute, String op, Object value) {
    return new JsonObject().put("attribute", attribute).put("op", op).put("value", value);
  }

  private static JsonObject sourceCond(String attribute, String sourceAttribute) {
    return new JsonObject().put("attribute", attribute).put("op", "=").put("sourceAttribute", sourceAttribute);
  }

  private static HistoryRecord handled(long ts, String member) {
    return new HistoryRecord(ts, "abc", "shop", List.of(member));
  }

  private static MemberState member(String id, Geo geo, int load, JsonObject attributes) {
    return new MemberState(new User(id, null, geo, attributes, null), ONLINE, load, 0);
  }

  private static MemberState offline(String id) {
    return new MemberState(new User(id, null, SHANGHAI, null, null), Status.OFFLINE, 0, 0);
  }
}
