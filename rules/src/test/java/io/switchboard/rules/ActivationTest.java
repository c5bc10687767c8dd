package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.switchboard.rules.Fixtures.MINUTE;
import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Rules named in activations: active only for a while after a trigger. */
class ActivationTest {

  /** {@code quiet} after the user sent a closing, {@code busy-hold} after busy, {@code wrap-up} after a close. */
  private static final RulesDocument RULES = rules("""
      {'rules': [
         {'id': 'quiet', 'when': {'content': {'class': 'closing'}}, 'then': {'notify': 'none'}},
         {'id': 'busy-hold', 'when': {}, 'then': {'hold': true}},
         {'id': 'wrap-up', 'when': {}, 'then': {'notify': 'silent'}},
         {'id': 'always', 'when': {'from': ['alice']}, 'then': {'drop': true}}],
       'activations': [
         {'id': 'after-thanks', 'on': {'event': 'sent', 'content': {'class': 'closing'}}, 'activate': ['quiet'],
          'for': 'PT10M'},
         {'id': 'after-busy', 'on': {'event': 'status', 'status': ['busy', 'away']}, 'activate': ['busy-hold'],
          'for': 'PT1H'},
         {'id': 'after-close', 'on': {'event': 'closed'}, 'activate': ['wrap-up'], 'for': 'PT2M'}]}""");

  private static String decidingRule(String body, long at, RecipientState recipient) {
    return RulesEngine.decide(RULES, message(body, at), recipient).rule();
  }

  @Test
  void aRuleNamedInAnActivationIsInactiveBeforeItsTrigger() {
    assertNull(decidingRule("yw", NOW, online()));
  }

  @Test
  void aSentMessageMatchingTheTriggerActivatesForThePeriod() {
    List<Activation> started = RulesEngine.onSent(RULES, "Thanks!", NOW);
    assertEquals(List.of(new Activation("quiet", NOW + 10 * MINUTE)), started);

    RecipientState after = online().withActivations(started);
    assertEquals("quiet", decidingRule("yw", NOW, after));
    assertEquals("quiet", decidingRule("yw", NOW + 10 * MINUTE - 1, after));
    assertNull(decidingRule("yw", NOW + 10 * MINUTE, after));
    assertNull(decidingRule("yw", NOW + 60 * MINUTE, after));
  }

  @Test
  void aSentMessageThatDoesNotMatchTriggersNothing() {
    assertEquals(List.of(), RulesEngine.onSent(RULES, "Thanks, but where is my order?", NOW));
  }

  @Test
  void aStatusTrigger() {
    assertEquals(List.of(new Activation("busy-hold", NOW + 60 * MINUTE)), RulesEngine.onStatus(RULES, "away", NOW));
    assertEquals(List.of(), RulesEngine.onStatus(RULES, "online", NOW));

    RecipientState busy = RecipientState.of("busy").withActivations(RulesEngine.onStatus(RULES, "busy", NOW));
    assertEquals("busy-hold", decidingRule("hi", NOW + 30 * MINUTE, busy));
  }

  @Test
  void aClosedTrigger() {
    RecipientState after = online().withActivations(RulesEngine.onClosed(RULES, NOW));
    assertEquals("wrap-up", decidingRule("hi", NOW + MINUTE, after));
    assertNull(decidingRule("hi", NOW + 2 * MINUTE, after));
  }

  @Test
  void aRuleNamedInNoActivationIsAlwaysActive() {
    IncomingMessage fromAlice = new IncomingMessage("alice", false, "c-1", "hi", false, NOW);
    assertEquals("always", RulesEngine.decide(RULES, fromAlice, online()).rule());
  }

  @Test
  void aNewTriggerExtendsAnActivationAndAnOldOneNeverShortensIt() {
    RecipientState first = online().withActivations(RulesEngine.onSent(RULES, "thx", NOW));
    RecipientState extended = first.withActivations(RulesEngine.onSent(RULES, "bye", NOW + 5 * MINUTE));
    assertEquals(NOW + 15 * MINUTE, extended.activeUntil().get("quiet"));
    assertEquals(NOW + 15 * MINUTE, extended.withActivations(List.of(new Activation("quiet", NOW))).activeUntil()
        .get("quiet"));
  }

  @Test
  void twoActivationsOfOneRuleGiveTheLaterEndAndASentTriggerWithoutContentFiresOnAnyMessage() {
    RulesDocument rules = rules("""
        {'rules': [{'id': 'r', 'when': {}, 'then': {'notify': 'none'}}],
         'activations': [{'id': 'short', 'on': {'event': 'sent'}, 'activate': ['r'], 'for': 'PT1M'},
                         {'id': 'long', 'on': {'event': 'sent'}, 'activate': ['r'], 'for': 'PT5M'}]}""");
    assertEquals(List.of(new Activation("r", NOW + 5 * MINUTE)), RulesEngine.onSent(rules, "anything", NOW));
  }

  @Test
  void aDisabledRuleStaysDisabledWhenActivated() {
    RulesDocument rules = rules("""
        {'rules': [{'id': 'r', 'enabled': false, 'when': {}, 'then': {'notify': 'none'}}],
         'activations': [{'id': 'a', 'on': {'event': 'closed'}, 'activate': ['r'], 'for': 'PT1M'}]}""");
    RecipientState after = online().withActivations(RulesEngine.onClosed(rules, NOW));
    assertNull(RulesEngine.decide(rules, message("hi"), after).rule());
  }
}
