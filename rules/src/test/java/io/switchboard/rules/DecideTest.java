package io.switchboard.rules;

import io.switchboard.rules.Verdict.Disposition;
import org.junit.jupiter.api.Test;

import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static io.switchboard.rules.Fixtures.rule;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The actions, and which rule decides. */
class DecideTest {

  private static Verdict decide(RulesDocument rules) {
    return RulesEngine.decide(rules, message("hello"), online());
  }

  /** The verdict of a rule that matches every message. */
  private static Verdict verdictOf(String then) {
    return decide(rule("{}", then));
  }

  @Test
  void withoutRulesEveryMessageIsDeliveredWithPopup() {
    assertEquals(Verdict.DEFAULT, decide(RulesDocument.EMPTY));
    assertEquals(new Verdict(null, Disposition.DELIVER, Notify.POPUP, null), Verdict.DEFAULT);
  }

  @Test
  void whenNoRuleMatchesTheMessageIsDeliveredWithPopup() {
    assertEquals(Verdict.DEFAULT, decide(rule("{'from': ['alice']}", "{'drop': true}")));
  }

  @Test
  void notifyLevels() {
    assertEquals(new Verdict("r", Disposition.DELIVER, Notify.POPUP, null), verdictOf("{'notify': 'popup'}"));
    assertEquals(new Verdict("r", Disposition.DELIVER, Notify.SILENT, null), verdictOf("{'notify': 'silent'}"));
    assertEquals(new Verdict("r", Disposition.DELIVER, Notify.NONE, null), verdictOf("{'notify': 'none'}"));
  }

  @Test
  void anEmptyActionDeliversWithPopupAndStopsTheRulesBelow() {
    RulesDocument rules = rules("{'rules': [{'id': 'boss', 'when': {'from': ['bob']}, 'then': {}},"
        + " {'id': 'rest', 'when': {}, 'then': {'hold': {'until': 'PT1H'}}}]}");
    assertEquals(new Verdict("boss", Disposition.DELIVER, Notify.POPUP, null), decide(rules));
  }

  @Test
  void holdIsAnnouncedOnReleaseAtTheLevelGiven() {
    assertEquals(new Verdict("r", Disposition.HOLD, Notify.POPUP, null), verdictOf("{'hold': {'until': 'PT1H'}}"));
    assertEquals(new Verdict("r", Disposition.HOLD, Notify.SILENT, null),
        verdictOf("{'hold': {'until': 'PT1H'}, 'notify': 'silent'}"));
  }

  @Test
  void transcriptAndDropDeliverNothing() {
    assertEquals(new Verdict("r", Disposition.TRANSCRIPT, Notify.NONE, null), verdictOf("{'transcript': true}"));
    assertEquals(new Verdict("r", Disposition.DROP, Notify.NONE, null), verdictOf("{'drop': true}"));
  }

  @Test
  void falseFlagsAreTheSameAsLeavingThemOut() {
    assertEquals(Verdict.DEFAULT.disposition(), verdictOf("{'hold': false, 'drop': false}").disposition());
  }

  @Test
  void anAutoReplyGoesWithAnyDisposition() {
    assertEquals(new Verdict("r", Disposition.DELIVER, Notify.SILENT, "Back at 7:00."),
        verdictOf("{'autoReply': 'Back at 7:00.', 'notify': 'silent'}"));
    assertEquals(new Verdict("r", Disposition.HOLD, Notify.POPUP, "In a meeting."),
        verdictOf("{'autoReply': 'In a meeting.', 'hold': {'until': 'PT1H'}}"));
    assertEquals(new Verdict("r", Disposition.DROP, Notify.NONE, "Not here."),
        verdictOf("{'autoReply': 'Not here.', 'drop': true}"));
  }

  @Test
  void anAutomaticMessageNeverGetsAnAutomaticReplyButIsOtherwiseHandledAlike() {
    RulesDocument rules = rule("{}", "{'autoReply': 'Back at 7:00.', 'hold': {'until': 'PT1H'}}");
    IncomingMessage automatic = new IncomingMessage("bob", false, "c-1", "I am away", true, NOW);
    assertEquals(new Verdict("r", Disposition.HOLD, Notify.POPUP, null),
        RulesEngine.decide(rules, automatic, online()));
  }

  @Test
  void theLowestPriorityDecides() {
    RulesDocument rules = rules("{'rules': [{'id': 'late', 'priority': 20, 'when': {}, 'then': {'drop': true}},"
        + " {'id': 'early', 'priority': 10, 'when': {}, 'then': {'hold': {'until': 'PT1H'}}}]}");
    assertEquals("early", decide(rules).rule());
  }

  @Test
  void equalPrioritiesAreTriedInDocumentOrder() {
    RulesDocument rules = rules("{'rules': [{'id': 'first', 'priority': 5, 'when': {}, 'then': {'drop': true}},"
        + " {'id': 'second', 'priority': 5, 'when': {}, 'then': {'hold': {'until': 'PT1H'}}}]}");
    assertEquals("first", decide(rules).rule());
  }

  @Test
  void priorityDefaultsToZero() {
    RulesDocument rules = rules("{'rules': [{'id': 'zero', 'when': {}, 'then': {'drop': true}},"
        + " {'id': 'explicit', 'priority': 0, 'when': {}, 'then': {'hold': {'until': 'PT1H'}}},"
        + " {'id': 'negative', 'priority': -1, 'when': {}, 'then': {'notify': 'none'}}]}");
    assertEquals("negative", decide(rules).rule());
    assertEquals("zero", decide(rules("{'rules': [{'id': 'zero', 'when': {}, 'then': {'drop': true}},"
        + " {'id': 'explicit', 'priority': 0, 'when': {}, 'then': {'hold': {'until': 'PT1H'}}}]}")).rule());
  }

  @Test
  void theFirstMatchingRuleDecidesNotTheFirstRule() {
    RulesDocument rules = rules("{'rules': [{'id': 'alice', 'priority': 1, 'when': {'from': ['alice']},"
        + " 'then': {'drop': true}}, {'id': 'anyone', 'priority': 2, 'when': {}, 'then': {'notify': 'silent'}},"
        + " {'id': 'also', 'priority': 3, 'when': {}, 'then': {'hold': {'until': 'PT1H'}}}]}");
    assertEquals(new Verdict("anyone", Disposition.DELIVER, Notify.SILENT, null), decide(rules));
  }

  @Test
  void aDisabledRuleIsSkipped() {
    RulesDocument rules = rules("{'rules': [{'id': 'off', 'priority': 1, 'enabled': false, 'when': {},"
        + " 'then': {'drop': true}}, {'id': 'on', 'priority': 2, 'enabled': true, 'when': {},"
        + " 'then': {'hold': {'until': 'PT1H'}}}]}");
    assertEquals("on", decide(rules).rule());
  }
}
