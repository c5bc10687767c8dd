package io.switchboard.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static io.switchboard.rules.Fixtures.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User regexes cannot stall a node: matching is linear, and patterns too large to match cheaply are refused. */
class RegexTest {

  @Test
  @Timeout(5)
  void catastrophicBacktrackingPatternsFinish() {
    RulesDocument rules = rule("{'content': {'regex': '(a+)+$'}}", "{'drop': true}");
    String body = "a".repeat(ContentCost.MAX_WINDOW - 1) + "!"; // a backtracking engine would never finish
    assertNull(RulesEngine.decide(rules, message(body), online()).rule());
  }

  @Test
  @Timeout(5)
  void nestedCountedRepetitionIsRefusedBeforeItIsCompiled() {
    // Compiled, this pattern would need a billion instructions and exhaust the heap.
    InvalidRulesException refused = assertThrows(InvalidRulesException.class,
        () -> rule("{'content': {'regex': '((a{1000}){1000}){1000}'}}", "{}"));
    assertEquals("rules[0].when.content.regex", refused.path());
    assertTrue(refused.getMessage().contains("too large"), refused.getMessage());
  }

  @Test
  void theSizeLimitIsForTheWholeDocument() {
    String twoRules = "{'rules': [{'id': 'a', 'when': {'content': {'regex': 'x{150}'}}, 'then': {}},"
        + " {'id': 'b', 'when': {'not': {'content': {'regex': 'y{150}'}}}, 'then': {}}]}";
    InvalidRulesException refused = assertThrows(InvalidRulesException.class, () -> Fixtures.rules(twoRules));
    assertEquals("rules[1].when.not.content.regex: the document's regular expressions are too large together"
        + " (300 units, at most 200; a counted repetition such as {100} multiplies)", refused.getMessage());
  }

  @Test
  void sizeEstimates() {
    assertEquals(5, RegexSize.of("(a+)+$"));
    assertEquals(10, RegexSize.of("[ab]{10}"));
    assertEquals(5, RegexSize.of("a{2,5}"));
    assertEquals(3, RegexSize.of("a{2,}"));
    assertEquals(15, RegexSize.of("(?:ab){3}")); // "?:" counts too: an over-estimate
    assertEquals(1_001_000, RegexSize.of("(a{1000}){1000}"));
    assertEquals(7, RegexSize.of("\\Qa{1000}\\E")); // quoted: literal characters
    assertEquals(4, RegexSize.of("a{x}")); // not a repetition: a literal brace
    assertEquals(1, RegexSize.of("[]a{9}]"));
  }
}
