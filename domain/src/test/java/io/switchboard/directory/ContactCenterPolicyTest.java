package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queue, overflow and business hours in a policy (docs/POLICY.md): how they read, and what they refuse. */
class ContactCenterPolicyTest {

  /** Weekdays 09:00-12:00 and 13:00-18:00, Saturday mornings, in Shanghai; closed on 1 October, short on 2 October. */
  private static final String HOURS = """
      {"zone":"Asia/Shanghai",
       "weekly":{"mon":["09:00-12:00","13:00-18:00"],"tue":["09:00-12:00","13:00-18:00"],"wed":["09:00-12:00","13:00-18:00"],
                 "thu":["09:00-12:00","13:00-18:00"],"fri":["09:00-12:00","13:00-18:00"],"sat":["09:00-12:00"]},
       "exceptions":[{"date":"2026-10-01","windows":[]},{"date":"2026-10-02","windows":["10:00-24:00"]}],
       "whenClosed":"refuse","message":"closed"}""";

  private static Hours hours() {
    return Hours.fromJson(new JsonObject(HOURS));
  }

  @ParameterizedTest
  @CsvSource({
      "2026-09-28T01:00:00Z, true",   // Monday 09:00 in Shanghai: opening, inclusive
      "2026-09-28T03:59:59Z, true",
      "2026-09-28T04:00:00Z, false",  // 12:00: lunch, the end is exclusive
      "2026-09-28T05:00:00Z, true",
      "2026-09-28T00:59:59Z, false",
      "2026-09-26T02:00:00Z, true",   // Saturday 10:00
      "2026-09-27T02:00:00Z, false",  // Sunday
      "2026-10-01T02:00:00Z, false",  // Thursday, a holiday
      "2026-10-02T01:30:00Z, false",  // Friday, short day opening at 10:00
      "2026-10-02T15:59:59Z, true"})  // 23:59:59, open until midnight
  void isOpenInItsZoneByWeeklyWindowsAndDatedExceptions(String instant, boolean open) {
    assertEquals(open, hours().isOpen(Instant.parse(instant)));
  }

  @Test
  void theNextOpeningSkipsHolidaysAndIsTheInstantItselfWhenOpen() {
    assertEquals(Instant.parse("2026-10-02T02:00:00Z"), hours().nextOpening(Instant.parse("2026-09-30T12:00:00Z")));
    assertEquals(Instant.parse("2026-09-28T05:00:00Z"), hours().nextOpening(Instant.parse("2026-09-28T04:10:00Z")));
    Instant open = Instant.parse("2026-09-28T02:00:00Z");
    assertEquals(open, hours().nextOpening(open));
  }

  @Test
  void hoursReadBackAsTheyWereWritten() {
    Hours read = hours();
    assertEquals(read, Hours.fromJson(read.toJson()));
    assertEquals("closed", read.closedMessage("shop", Instant.EPOCH));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"zone\":\"Mars/Olympus\",\"weekly\":{}}|hours.zone",
      "{\"zone\":\"UTC\"}|hours.weekly",
      "{\"zone\":\"UTC\",\"weekly\":{\"mon\":[\"9-5\"]}}|hours.weekly.mon[0]",
      "{\"zone\":\"UTC\",\"weekly\":{\"mon\":[\"18:00-09:00\"]}}|must end after it starts",
      "{\"zone\":\"UTC\",\"weekly\":{\"mon\":[\"25:00-26:00\"]}}|hours.weekly.mon[0]",
      "{\"zone\":\"UTC\",\"weekly\":{\"funday\":[]}}|not funday",
      "{\"zone\":\"UTC\",\"weekly\":{},\"exceptions\":[{\"date\":\"tomorrow\"}]}|hours.exceptions[0].date",
      "{\"zone\":\"UTC\",\"weekly\":{},\"exceptions\":[{\"date\":\"2026-10-01\"},{\"date\":\"2026-10-01\"}]}|given twice",
      "{\"zone\":\"UTC\",\"weekly\":{},\"whenClosed\":\"later\"}|hours.whenClosed",
      "{\"zone\":\"UTC\",\"weekly\":{},\"message\":\"\"}|hours.message"})
  void hoursThatDoNotParseAreRefusedNamingTheField(String json, String named) {
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
        () -> Policy.fromJson(new JsonObject().put("hours", new JsonObject(json))));
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void queueHoursAndOverflowReadBack() {
    Policy policy = Policy.fromJson(new JsonObject()
        .put("queue", new JsonObject().put("maxWaiting", 50).put("maxWait", "PT10M").put("bypassPriority", 5))
        .put("hours", new JsonObject(HOURS).put("whenClosed", "queue"))
        .put("chain", new JsonArray().add(new JsonObject().put("type", "match").put("priority", 3)
                .put("select", new JsonArray().add(new JsonObject().put("attribute", "tier").put("op", "=").put("value", "a"))))
            .add(new JsonObject().put("type", "overflow").put("to", "other").put("after", "PT30S"))));

    assertEquals(new QueuePolicy(50, java.time.Duration.ofMinutes(10), 5), policy.queue());
    assertTrue(policy.hours().queueWhenClosed());
    assertEquals(new PolicyStep.Overflow("other", java.time.Duration.ofSeconds(30)), policy.overflow());
    assertEquals(policy, Policy.fromJson(policy.toJson()));
    assertTrue(policy.queue().admits(49, 0));
    assertFalse(policy.queue().admits(50, 4));
    assertTrue(policy.queue().admits(50, 5));
    assertFalse(policy.queue().admits(QueuePolicy.HARD_LIMIT, 5));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"queue\":{\"maxWaiting\":0,\"maxWait\":\"PT1M\"}}|queue.maxWaiting",
      "{\"queue\":{\"maxWaiting\":5}}|queue.maxWait",
      "{\"queue\":{\"maxWaiting\":5,\"maxWait\":\"PT-1M\"}}|queue.maxWait",
      "{\"queue\":{\"maxWaiting\":5,\"maxWait\":\"P2D\"}}|queue.maxWait must be at most PT24H",
      "{\"queue\":{\"maxWaiting\":5,\"maxWait\":\"PT1M\",\"bypassPriority\":\"high\"}}|queue.bypassPriority",
      "{\"chain\":[{\"type\":\"overflow\",\"to\":\"b\"},{\"type\":\"least-load\"}]}|overflow must be the last step",
      "{\"chain\":[{\"type\":\"overflow\"}]}|chain[0].to",
      "{\"chain\":[{\"type\":\"overflow\",\"to\":\"b\",\"after\":\"PT1M\"}]}|needs a queue",
      "{\"hours\":{\"zone\":\"UTC\",\"weekly\":{},\"whenClosed\":\"queue\"}}|needs a queue",
      "{\"chain\":[{\"type\":\"match\",\"priority\":1.5,\"select\":[{\"attribute\":\"a\",\"op\":\"=\",\"value\":1}]}]}|chain[0].priority"})
  void badQueuesAndOverflowsAreRefusedNamingTheProblem(String json, String named) {
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> Policy.fromJson(new JsonObject(json)));
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  private static VirtualUser overflowing(String id, String to) {
    Policy policy = Policy.fromJson(new JsonObject().put("chain", new JsonArray()
        .add(new JsonObject().put("type", "least-load"))
        .add(new JsonObject().put("type", "overflow").put("to", to))));
    return new VirtualUser(id, null, List.of(), policy);
  }

  @Test
  void overflowCyclesAndOverflowsToNobodyAreRefused() {
    VirtualUser a = overflowing("a", "b");
    VirtualUser c = new VirtualUser("c", null, List.of(), Policy.DEFAULT);
    OverflowChains.check(a, Map.of("b", overflowing("b", "c"), "c", c));

    InvalidDefinitionException cycle = assertThrows(InvalidDefinitionException.class,
        () -> OverflowChains.check(a, Map.of("b", overflowing("b", "a"))));
    assertEquals("the overflow steps would pass an open round in a cycle: a → b → a", cycle.getMessage());
    assertThrows(InvalidDefinitionException.class, () -> OverflowChains.check(overflowing("a", "a"), Map.of()));
    InvalidDefinitionException nowhere = assertThrows(InvalidDefinitionException.class,
        () -> OverflowChains.check(a, Map.of()));
    assertTrue(nowhere.getMessage().contains("no virtual user"), nowhere.getMessage());
    assertNull(c.policy().overflow());
  }
}
