package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.holds;
import static io.switchboard.rules.Fixtures.rule;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keywords and regexes read a bounded window of each message, so that no document the limits allow makes a
 * message expensive to decide on an event loop (docs/RULES.md, Limits). Times are in
 * {@link ContentCostMeasurement}; here the window, the characters a document reads, is checked.
 */
class ContentCostTest {

  private static final String NEEDLE = "{'content': {'regex': 'needle'}}";
  private static final String URGENT = "{'content': {'keywords': ['urgent']}}";

  /** {@code text} with {@code padding} characters before it. */
  private static String after(int padding, String text) {
    return "x".repeat(padding) + text;
  }

  @Test
  void aSmallDocumentReadsTheFirst4096Characters() {
    assertEquals(4096, rule(NEEDLE, "{}").contentWindow());
    assertTrue(holds(NEEDLE, after(4096 - 6, "needle")));
    assertFalse(holds(NEEDLE, after(4096 - 5, "needle")));
    assertTrue(holds(URGENT, after(4096 - 7, " urgent")));
    assertFalse(holds(URGENT, after(4096 - 6, " urgent")));
  }

  @Test
  void textWithinTheWindowMatchesAsItAlwaysDid() {
    String body = after(4000, " urgent needle");
    assertTrue(holds("{'content': {'keywords': ['urgent'], 'regex': '^x+ urgent needle$'}}", body));
    assertFalse(holds("{'content': {'keywords': ['needl']}}", body));
  }

  @Test
  void aLongerMessageReadsAsIfItEndedAtTheWindow() {
    String body = after(5000, "!");
    assertTrue(holds("{'content': {'regex': 'x$'}}", body));
    assertFalse(holds("{'content': {'regex': '!'}}", body));
    // "urgently" cut after "urgent" ends there: a whole word in what is read
    assertTrue(holds(URGENT, after(4096 - 7, " urgently")));
  }

  @Test
  void theWindowNeverSplitsACharacter() {
    String body = after(4095, "😀 and more");
    assertFalse(holds("{'content': {'regex': '\\\\x{1F600}'}}", body));
    assertTrue(holds("{'content': {'regex': '^x+$'}}", body));
    assertTrue(holds("{'content': {'regex': '\\\\x{1F600}'}}", after(4094, "😀")));
  }

  @Test
  void theLargestRegexesReadFewerCharacters() {
    // 200 units, the most a document may have: 100,000 / (200 + 2) characters
    String largest = "{'content': {'regex': '[^c]{199}c'}}";
    assertEquals(495, rule(largest, "{}").contentWindow());
    assertTrue(holds(largest, after(494, "c")));
    assertFalse(holds(largest, after(495, "c")));
  }

  @Test
  void theWindowIsSharedByTheWholeDocument() {
    RulesDocument twoRules = rules("{'rules': [{'id': 'a', 'when': {'content': {'regex': 'x{98}'}}, 'then': {}},"
        + " {'id': 'b', 'when': {'not': {'content': {'keywords': ['a', 'b', 'A']}}}, 'then': {}}],"
        + " 'activations': [{'id': 'on', 'on': {'event': 'sent', 'content': {'regex': 'yy'}}, 'activate': ['b'],"
        + " 'for': 'PT1M'}]}");
    // (98 + 2) + 2 keywords ("A" reads as "a") + (2 + 2)
    assertEquals(100_000 / 106, twoRules.contentWindow());
  }

  @Test
  void theWindowsDocsRulesMdShows() {
    assertEquals(4096, rule("{'content': {'keywords': ['urgent', 'call me'], 'class': 'closing'}}", "{}")
        .contentWindow());
    assertEquals(4000, rule("{'content': {'regex': '(?i)order\\\\s*#?\\\\d{5,8}', 'keywords': ['a', 'b', 'c']}}", "{}")
        .contentWindow());
    String hundredKeywords = IntStream.range(0, 100).mapToObj(i -> "'k" + i + "'").collect(Collectors.joining(", "));
    assertEquals(1000, rule("{'content': {'keywords': [" + hundredKeywords + "]}}", "{}").contentWindow());
  }

  @Test
  void repeatedKeywordsCostAsOne() {
    String many = "{'content': {'keywords': [" + "'a', ".repeat(1999) + "'a']}}";
    assertEquals(4096, rule(many, "{}").contentWindow());
  }

  @Test
  void activationsReadTheSameWindow() {
    RulesDocument rules = rules("{'rules': [{'id': 'r', 'when': {}, 'then': {}}], 'activations': [{'id': 'a',"
        + " 'on': {'event': 'sent', 'content': {'keywords': ['urgent']}}, 'activate': ['r'], 'for': 'PT1M'}]}");
    assertEquals(1, RulesEngine.onSent(rules, after(4096 - 7, " urgent"), NOW).size());
    assertEquals(List.of(), RulesEngine.onSent(rules, after(4096 - 6, " urgent"), NOW));
  }

  @Test
  void theClosingClassStillReadsTheWholeMessage() {
    assertFalse(holds("{'content': {'class': 'closing'}}", "thanks " + "x".repeat(5000)));
  }

  @Test
  void everyWorstDocumentReadsAtMostItsBudget() {
    for (WorstDocuments.Case worst : WorstDocuments.all()) {
      RulesDocument rules = worst.rules();
      long cost = rules.rules().stream().mapToLong(rule -> rule.when().contentCost()).sum();
      assertTrue((long) rules.contentWindow() * cost <= ContentCost.BUDGET, worst.name());
    }
  }

  @Test
  void theMostExpensiveDocumentStillReadsSomeCharacters() {
    // 200 regexes of 1 unit cost 3 each, 2,000 distinct keywords 1 each: 100,000 / 2,600
    WorstDocuments.Case most = WorstDocuments.all().get(WorstDocuments.all().size() - 1);
    assertEquals(38, most.rules().contentWindow());
  }

  @Test
  void aKeywordThatReadsAsNothingIsRefused() {
    InvalidRulesException refused = assertThrows(InvalidRulesException.class,
        () -> rule("{'content': {'keywords': ['ok', '\\u00a0\\u3000']}}", "{}"));
    assertEquals("rules[0].when.content.keywords[1]", refused.path());
  }
}
