package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.switchboard.rules.Fixtures.MINUTE;
import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.json;
import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.rule;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Holds that end: a held message is released once the rule that held it would no longer hold it. */
class HoldEndTest {

  private static final long HELD_AT = NOW;

  private static boolean stillHolds(RulesDocument rules, long at, RecipientState recipient) {
    return RulesEngine.stillHolds(rules, "r", message("question", at), recipient, HELD_AT);
  }

  @Test
  void aHoldOnStatusEndsWhenTheStatusIsNoLongerOneItNames() {
    RulesDocument busyOrAway = rule("{'status': ['busy', 'away']}", "{'hold': true}");
    assertTrue(stillHolds(busyOrAway, NOW + MINUTE, RecipientState.of("busy")));
    assertTrue(stillHolds(busyOrAway, NOW + MINUTE, RecipientState.of("away")), "busy → away keeps it held");
    assertFalse(stillHolds(busyOrAway, NOW + MINUTE, RecipientState.of("online")));
    assertEquals(Long.MAX_VALUE, RulesEngine.nextHoldChange(busyOrAway, "r", HELD_AT, RecipientState.of("busy"), NOW),
        "only a change of presence ends it");
  }

  @Test
  void aHoldOnActivityEndsWhenTheActivityEnds() {
    RulesDocument presenting = rule("{'activity': ['presenting']}", "{'hold': true}");
    assertTrue(stillHolds(presenting, NOW, new RecipientState("online", "presenting", Map.of(), Map.of())));
    assertFalse(stillHolds(presenting, NOW, RecipientState.of("online")));
  }

  @Test
  void aHoldInATimeWindowEndsAtTheWindowsEndWhichIsItsNextChange() {
    // 11:00 in Berlin on Friday 17 January 2025; the window ends at 12:00 Berlin time.
    RulesDocument lunch = rules("{'timeZone': 'Europe/Berlin', 'rules': [{'id': 'r',"
        + " 'when': {'time': {'from': '10:30', 'to': '12:00'}}, 'then': {'hold': true}}]}");
    long noon = Instant.parse("2025-01-17T11:00:00Z").toEpochMilli();
    assertEquals(noon, RulesEngine.nextHoldChange(lunch, "r", HELD_AT, RecipientState.of("online"), NOW));
    assertTrue(stillHolds(lunch, noon - 1, RecipientState.of("online")));
    assertFalse(stillHolds(lunch, noon, RecipientState.of("online")));
  }

  @Test
  void aHoldWithUntilEndsThatLongAfterTheMessageWasHeldWhateverElseHolds() {
    RulesDocument rules = rule("{'status': ['busy']}", "{'hold': {'until': 'PT30M'}}");
    assertTrue(stillHolds(rules, HELD_AT + 30 * MINUTE - 1, RecipientState.of("busy")));
    assertFalse(stillHolds(rules, HELD_AT + 30 * MINUTE, RecipientState.of("busy")));
    assertEquals(HELD_AT + 30 * MINUTE,
        RulesEngine.nextHoldChange(rules, "r", HELD_AT, RecipientState.of("busy"), NOW + MINUTE));
  }

  @Test
  void anActivatedHoldEndsWithItsActivation() {
    RulesDocument rules = rules("{'rules': [{'id': 'r', 'when': {}, 'then': {'hold': true}}], 'activations':"
        + " [{'id': 'a', 'on': {'event': 'closed'}, 'activate': ['r'], 'for': 'PT5M'}]}");
    RecipientState active = RecipientState.of("online").withActivations(RulesEngine.onClosed(rules, NOW));
    assertTrue(stillHolds(rules, NOW + MINUTE, active));
    assertEquals(NOW + 5 * MINUTE, RulesEngine.nextHoldChange(rules, "r", HELD_AT, active, NOW + MINUTE));
    assertFalse(stillHolds(rules, NOW + 5 * MINUTE, active));
  }

  @Test
  void aHoldEndsWhenItsRuleIsGoneDisabledOrNoLongerAHold() {
    RecipientState busy = RecipientState.of("busy");
    assertFalse(stillHolds(rule("{'status': ['busy']}", "{'notify': 'none'}"), NOW, busy));
    assertFalse(stillHolds(rules("{'rules': [{'id': 'r', 'enabled': false, 'when': {'status': ['busy']},"
        + " 'then': {'hold': true}}]}"), NOW, busy));
    assertFalse(stillHolds(RulesDocument.EMPTY, NOW, busy));
    assertFalse(RulesEngine.stillHolds(rule("{'status': ['busy']}", "{'hold': true}"), null, message("q"), busy, NOW),
        "a message held without a rule's name");
  }

  @Test
  void aHoldThatCouldNeverEndIsRefused() {
    InvalidRulesException refused = assertThrows(InvalidRulesException.class,
        () -> rule("{'content': {'keywords': ['invoice']}, 'from': ['bob']}", "{'hold': true}"));
    assertEquals("rules[0].then.hold: could never end: a hold needs a status, activity or time condition,"
        + " an activation, or {\"until\": <duration>}", refused.getMessage());
    // Each way to end makes it valid.
    rule("{'content': {'keywords': ['invoice']}}", "{'hold': {'until': 'PT2H'}}");
    rule("{'not': {'status': ['online']}}", "{'hold': true}");
    rule("{'any': [{'from': ['bob']}, {'time': {'days': ['sat']}}]}", "{'hold': true}");
    rules("{'rules': [{'id': 'r', 'when': {}, 'then': {'hold': true}}], 'activations':"
        + " [{'id': 'a', 'on': {'event': 'sent'}, 'activate': ['r'], 'for': 'PT5M'}]}");
  }

  @Test
  void untilIsWrittenBackAndCheckedLikeEveryDuration() {
    RulesDocument rules = rule("{}", "{'hold': {'until': 'P1D'}, 'notify': 'silent'}");
    assertEquals(json("{'hold': {'until': 'PT24H'}, 'notify': 'silent'}"),
        rules.toJson().getJsonArray("rules").getJsonObject(0).getJsonObject("then"));
    assertEquals("rules[0].then.hold.until: \"-PT1M\" must be positive and at most P3650D",
        assertThrows(InvalidRulesException.class, () -> rule("{}", "{'hold': {'until': '-PT1M'}}")).getMessage());
    assertEquals("rules[0].then.hold.for: unknown key; expected one of until",
        assertThrows(InvalidRulesException.class, () -> rule("{}", "{'hold': {'for': 'PT1M'}}")).getMessage());
    assertEquals("rules[0].then.drop: cannot be combined with hold (hold, transcript and drop exclude each other)",
        assertThrows(InvalidRulesException.class,
            () -> rule("{}", "{'hold': {'until': 'PT1M'}, 'drop': true}")).getMessage());
  }
}
