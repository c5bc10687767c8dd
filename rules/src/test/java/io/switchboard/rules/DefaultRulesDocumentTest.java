package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.switchboard.rules.Fixtures.MINUTE;
import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.json;
import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's default rules: the shipped document, how a defaults document is read, and switching them off. */
class DefaultRulesDocumentTest {

  @Test
  void theShippedDefaultsQuietAClosingRightAfterTheUsersOwnClosingInThatConversation() {
    RulesDocument shipped = RulesDocument.SHIPPED_DEFAULTS;
    RecipientState saidThanks = new RecipientState("online", null, Map.of(), Map.of("c-1", NOW - MINUTE));
    assertEquals(new Verdict("default-quiet-closings", Verdict.Disposition.DELIVER, Notify.NONE, null),
        RulesEngine.decide(shipped, message("yw"), saidThanks));
    assertEquals(Verdict.DEFAULT, RulesEngine.decide(shipped, message("yw", NOW + 10 * MINUTE), saidThanks),
        "ten minutes later");
    assertEquals(Verdict.DEFAULT, RulesEngine.decide(shipped, message("yw"), online()), "no closing of its own");
    assertEquals(Verdict.DEFAULT, RulesEngine.decide(shipped, message("one more question"), saidThanks));
  }

  @Test
  void onlyTextADefaultRuleCouldMatchNeedsTheRecipientsState() {
    assertTrue(RulesEngine.mayDecide(RulesDocument.SHIPPED_DEFAULTS, "thanks!"));
    assertFalse(RulesEngine.mayDecide(RulesDocument.SHIPPED_DEFAULTS, "hello"));
    assertFalse(RulesEngine.mayDecide(RulesDocument.EMPTY, "thanks!"));
    assertTrue(RulesEngine.mayDecide(rules("{'rules': [{'id': 'r', 'when': {'status': ['busy']},"
        + " 'then': {'notify': 'silent'}}]}"), "hello"), "a rule without content may decide anything");
  }

  @Test
  void aDefaultsDocumentHasRulesAndATimeZoneOnly() {
    assertEquals("activations: unknown key; expected one of timeZone, rules", assertThrows(
        InvalidRulesException.class, () -> RulesDocument.defaultsFromJson(json("{'activations': []}"))).getMessage());
    assertEquals("defaults: unknown key; expected one of timeZone, rules", assertThrows(
        InvalidRulesException.class, () -> RulesDocument.defaultsFromJson(json("{'defaults': false}"))).getMessage());
    RulesDocument read = RulesDocument.defaultsFromJson(RulesDocument.SHIPPED_DEFAULTS.toDefaultsJson());
    assertEquals(RulesDocument.SHIPPED_DEFAULTS, read);
  }

  @Test
  void aUserTurnsTheDefaultsOffInItsOwnDocument() {
    assertTrue(rules("{}").useDefaults());
    RulesDocument off = rules("{'defaults': false}");
    assertFalse(off.useDefaults());
    assertEquals(json("{'timeZone': 'UTC', 'rules': [], 'activations': [], 'defaults': false}"), off.toJson());
    assertEquals(off, RulesDocument.fromJson(off.toJson()));
    assertFalse(rules("{}").toJson().containsKey("defaults"), "written only when off");
  }
}
