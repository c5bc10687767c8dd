package io.switchboard.router;

import io.switchboard.contract.Status;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.User;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.store.MemberState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.switchboard.contract.Status.AWAY;
import static io.switchboard.contract.Status.BUSY;
import static io.switchboard.contract.Status.OFFLINE;
import static io.switchboard.contract.Status.ONLINE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PolicyChain#select} over hand-built contexts, with the decision time given explicitly. */
class PolicyChainTest {

  private static final String SOURCE = "abc";
  private static final String SHOP = "XianFengShuDian";
  private static final long NOW = at("2024-01-16T13:05:55");
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final Policy DEFAULT = Policy.DEFAULT;
  private static final Policy ONLINE_ONLY = new Policy(EnumSet.of(ONLINE), Policy.DEFAULT_CHAIN,
      Policy.DEFAULT_OFFER_TIMEOUT, Policy.DEFAULT_MAX_OFFERS, false);
  private static final Policy BUSY_OR_AWAY = new Policy(EnumSet.of(BUSY, AWAY), Policy.DEFAULT_CHAIN,
      Policy.DEFAULT_OFFER_TIMEOUT, Policy.DEFAULT_MAX_OFFERS, false);

  /** One row of the table: a routing situation and what the chain must answer, with why the first step did so. */
  record Case(String name, Policy policy, Situation situation, String selected, String step, String firstReason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The context of one decision at {@link #NOW}: who asks, the history, the members, who was already tried. */
  record Situation(String source, Geo geo, JsonObject attributes, List<HistoryRecord> history, List<MemberState> members,
                   Set<String> excluded, String lastRoundRobin) {
    Situation(List<HistoryRecord> history, List<MemberState> members) {
      this(SOURCE, null, new JsonObject(), history, members, Set.of(), null);
    }

    Situation excluding(String... members) {
      return new Situation(source, geo, attributes, history, this.members, Set.of(members), lastRoundRobin);
    }

    Situation from(String otherSource) {
      return new Situation(otherSource, geo, attributes, history, members, excluded, lastRoundRobin);
    }

    Situation at(Geo position) {
      return new Situation(source, position, attributes, history, members, excluded, lastRoundRobin);
    }

    Situation with(JsonObject sourceAttributes) {
      return new Situation(source, geo, sourceAttributes, history, members, excluded, lastRoundRobin);
    }

    Situation after(String lastInTurn) {
      return new Situation(source, geo, attributes, history, members, excluded, lastInTurn);
    }

    RoutingContext at(long now) {
      return new RoutingContext(source, geo, attributes, history, members, excluded, lastRoundRobin, now);
    }
  }

  static Stream<Case> cases() {
    // anna handled abc an hour ago, bob two hours ago
    List<HistoryRecord> annaLatest = List.of(handled("anna", NOW - HOUR), handled("bob", NOW - 2 * HOUR));
    return Stream.of(
        sticks("sticky selects the member of the latest valid record, whatever its load",
            new Situation(annaLatest, List.of(member("anna", ONLINE, 3), member("bob", ONLINE, 3),
                member("carl", ONLINE, 0))), "anna"),
        sticks("sticky ignores the order the history comes in",
            new Situation(List.of(handled("bob", NOW - 2 * HOUR), handled("anna", NOW - HOUR)),
                List.of(member("anna", ONLINE, 3), member("bob", ONLINE, 3), member("carl", ONLINE, 0))), "anna"),
        stickyPasses("sticky passes when every record is older than its expiration", DEFAULT,
            new Situation(List.of(handled("anna", NOW - 25 * HOUR)),
                List.of(member("anna", ONLINE, 2), member("carl", ONLINE, 1))),
            "carl", "no history record within PT24H"),
        sticks("sticky keeps a record exactly as old as its expiration (no more than the expiration)",
            new Situation(List.of(handled("anna", NOW - 24 * HOUR)),
                List.of(member("anna", ONLINE, 1), member("carl", ONLINE, 0))), "anna"),
        stickyPasses("sticky passes when the record is a millisecond older than its expiration", DEFAULT,
            new Situation(List.of(handled("anna", NOW - 24 * HOUR - 1)),
                List.of(member("anna", ONLINE, 1), member("carl", ONLINE, 0))),
            "carl", "no history record within PT24H"),
        stickyPasses("sticky passes when the latest member is offline, without falling back to older records", DEFAULT,
            new Situation(annaLatest, List.of(member("anna", OFFLINE, 0), member("bob", ONLINE, 3),
                member("carl", ONLINE, 0))),
            "carl", "anna is offline"),
        stickyPasses("sticky passes when the latest member's status is not in availableStatuses", ONLINE_ONLY,
            new Situation(annaLatest, List.of(member("anna", BUSY, 0), member("carl", ONLINE, 1))),
            "carl", "anna is busy"),
        stickyPasses("sticky passes when the latest member is at capacity", DEFAULT,
            new Situation(annaLatest, List.of(member("anna", ONLINE, 2, 2), member("carl", ONLINE, 5))),
            "carl", "anna is at capacity (2 of 2)"),
        stickyPasses("sticky passes when the latest member was already offered this conversation", DEFAULT,
            new Situation(annaLatest, List.of(member("anna", ONLINE, 0), member("carl", ONLINE, 1))).excluding("anna"),
            "carl", "anna was already offered this conversation"),
        stickyPasses("sticky passes when the latest member is the source itself", DEFAULT,
            new Situation(annaLatest, List.of(member("anna", ONLINE, 0), member("carl", ONLINE, 1))).from("anna"),
            "carl", "anna is the source itself"),
        stickyPasses("sticky passes when the latest member left the virtual user", DEFAULT,
            new Situation(annaLatest, List.of(member("bob", ONLINE, 0), member("carl", ONLINE, 1))),
            "bob", "anna is no longer a member"),
        leastLoad("least-load picks the fewest open conversations", DEFAULT,
            noHistory(member("anna", ONLINE, 2), member("bob", ONLINE, 1), member("carl", ONLINE, 3)), "bob"),
        leastLoad("least-load prefers an online member to a busy one at equal load, however recently assigned", DEFAULT,
            noHistory(new MemberState(new User("anna", null, null, null, null), BUSY, 1, 0),
                assigned("bob", 1, NOW - 1), member("carl", ONLINE, 2)), "bob"),
        leastLoad("least-load prefers a busy member to an away one at equal load", BUSY_OR_AWAY,
            noHistory(member("anna", AWAY, 0), member("bob", BUSY, 0)), "bob"),
        leastLoad("least-load breaks a tie by the least recently assigned", DEFAULT,
            noHistory(assigned("anna", 1, NOW - HOUR), assigned("bob", 1, NOW - 2 * HOUR), assigned("carl", 2, 0)),
            "bob"),
        leastLoad("least-load breaks a tie of load and assignment by id", DEFAULT,
            noHistory(assigned("carl", 1, NOW - HOUR), assigned("bob", 1, NOW - HOUR), assigned("dora", 1, NOW - HOUR)),
            "bob"),
        leastLoad("least-load skips members that are not available", ONLINE_ONLY,
            noHistory(member("anna", AWAY, 0), member("bob", BUSY, 0), member("carl", ONLINE, 4)), "carl"),
        leastLoad("least-load skips members at capacity, including a capacity of 0", DEFAULT,
            noHistory(member("anna", ONLINE, 1, 1), member("bob", ONLINE, 0, 0), member("carl", ONLINE, 7)), "carl"),
        leastLoad("least-load skips members already tried and the source", DEFAULT,
            noHistory(member("anna", ONLINE, 0), member("bob", ONLINE, 0), member("carl", ONLINE, 9))
                .excluding("anna").from("bob"), "carl"));
  }

  private static Case sticks(String name, Situation situation, String selected) {
    return new Case(name, DEFAULT, situation, selected, "sticky", selected + " handled the latest record");
  }

  private static Case stickyPasses(String name, Policy policy, Situation situation, String selected, String why) {
    return new Case(name, policy, situation, selected, "least-load", why);
  }

  private static Case leastLoad(String name, Policy policy, Situation situation, String selected) {
    return stickyPasses(name, policy, situation, selected, "no history record");
  }

  private static Situation noHistory(MemberState... members) {
    return new Situation(List.of(), List.of(members));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void selects(Case c) {
    Selection selection = PolicyChain.select(c.policy(), c.situation().at(NOW));

    assertAll(
        () -> assertEquals(c.selected(), selection.selected(), "selected"),
        () -> assertEquals(c.step(), selection.step(), "step"),
        () -> assertTrue(selection.trace().get(0).reason().contains(c.firstReason()),
            () -> "first step's reason should mention '" + c.firstReason() + "': " + selection.trace()));
    List<String> results = selection.trace().stream().map(TraceEntry::result).toList();
    List<String> expected = c.step().equals("sticky")
        ? List.of(TraceEntry.SELECTED)
        : List.of(TraceEntry.PASSED, TraceEntry.SELECTED);
    assertEquals(expected, results, "one trace entry per step run, the last one selecting");
  }

  @Test
  void everyStepPassingSelectsNobodyAndTracesEveryStep() {
    Situation nobodyAvailable = new Situation(List.of(handled("anna", NOW - HOUR)),
        List.of(member("anna", OFFLINE, 0), member("bob", ONLINE, 1, 1), member("carl", AWAY, 0)));

    Selection selection = PolicyChain.select(ONLINE_ONLY, nobodyAvailable.at(NOW));

    assertNull(selection.selected());
    assertNull(selection.step());
    assertEquals(List.of(
            new TraceEntry("sticky", TraceEntry.PASSED,
                "the latest record (" + (NOW - HOUR) + ") names no member that can take it (anna is offline)"),
            new TraceEntry("least-load", TraceEntry.PASSED, "no member is available and under capacity")),
        selection.trace());
  }

  // --- docs/POLICY.md worked example, times in UTC

  private static final List<HistoryRecord> SHOP_HISTORY = List.of(
      handled("ShopAssistant1", at("2024-01-16T11:45:10")),
      handled("ShopAssistant3", at("2024-01-15T14:23:49")));
  private static final List<MemberState> SHOP_ASSISTANTS = List.of(
      member("ShopAssistant1", ONLINE, 2), member("ShopAssistant2", ONLINE, 0), member("ShopAssistant3", ONLINE, 1));

  @Test
  void workedExampleWith24HourExpirationSticksToShopAssistant1() {
    Selection selection = PolicyChain.select(policy(Duration.ofHours(24)), workedExample());

    assertEquals("ShopAssistant1", selection.selected());
    assertEquals("sticky", selection.step());
  }

  @Test
  void workedExampleWithOneHourExpirationFallsToTheLeastLoadedMember() {
    Selection selection = PolicyChain.select(policy(Duration.parse("PT1H")), workedExample());

    assertEquals("ShopAssistant2", selection.selected());
    assertEquals("least-load", selection.step());
    assertEquals(new TraceEntry("sticky", TraceEntry.PASSED, "no history record within PT1H"),
        selection.trace().get(0));
  }

  private static RoutingContext workedExample() {
    return new Situation(SHOP_HISTORY, SHOP_ASSISTANTS).at(NOW);
  }

  private static Policy policy(Duration stickyExpiration) {
    return new Policy(Policy.DEFAULT_AVAILABLE,
        List.of(new PolicyStep.Sticky(stickyExpiration, PolicyStep.Among.LATEST), new PolicyStep.LeastLoad()),
        Policy.DEFAULT_OFFER_TIMEOUT, Policy.DEFAULT_MAX_OFFERS, false);
  }

  // --- building blocks

  private static long at(String utc) {
    return LocalDateTime.parse(utc).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static HistoryRecord handled(String member, long ts) {
    return new HistoryRecord(ts, SOURCE, SHOP, List.of(member));
  }

  private static MemberState member(String id, Status status, int load) {
    return new MemberState(new User(id, null, null, null, null), status, load, 0);
  }

  private static MemberState member(String id, Status status, int load, int maxConversations) {
    return new MemberState(new User(id, null, null, null, maxConversations), status, load, 0);
  }

  private static MemberState assigned(String id, int load, long lastAssigned) {
    return new MemberState(new User(id, null, null, null, null), ONLINE, load, lastAssigned);
  }
}
