package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.switchboard.rules.Fixtures.MINUTE;
import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.holds;
import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each condition of a rule's {@code when}; time windows are in {@link TimeWindowTest}. */
class ConditionTest {

  private static final String URGENT = "{'content': {'keywords': ['urgent', 'call me']}}";

  @Test
  void keywordsMatchAnyOfThemIgnoringCase() {
    assertTrue(holds(URGENT, "This is URGENT!"));
    assertTrue(holds(URGENT, "please Call Me back"));
    assertFalse(holds(URGENT, "nothing pressing"));
  }

  @Test
  void keywordsMatchWholeWordsAndPhrasesOnly() {
    assertFalse(holds(URGENT, "the insurgents"));
    assertFalse(holds(URGENT, "urgently"));
    assertFalse(holds(URGENT, "urgent2"));
    assertFalse(holds(URGENT, "call meeting"));
    assertTrue(holds(URGENT, "(urgent)"));
  }

  @Test
  void aPhraseMatchesWhateverWhiteSpaceSeparatesItsWords() {
    assertTrue(holds(URGENT, "call\u00a0 \n me"));
  }

  @Test
  void keywordsInOtherScriptsEndWhereTheirRunOfLettersEnds() {
    String hello = "{'content': {'keywords': ['привет', 'schön']}}";
    assertTrue(holds(hello, "Привет, как дела?"));
    assertFalse(holds(hello, "приветствую"));
    assertTrue(holds(hello, "so scho\u0308n!")); // decomposed ö
    assertFalse(holds(hello, "schöner"));
  }

  @Test
  void keywordsInScriptsWithoutSpacesAreFoundInsideSentences() {
    String urgent = "{'content': {'keywords': ['紧急']}}";
    assertTrue(holds(urgent, "这很紧急！"));
    assertFalse(holds(urgent, "这不急"));
  }

  @Test
  void aKeywordThatBeginsWithPunctuationNeedsNoBoundaryThere() {
    assertTrue(holds("{'content': {'keywords': ['#urgent']}}", "re:#urgent"));
  }

  @Test
  void aRegexIsFoundAnywhereAndIsCaseSensitiveUnlessItSaysOtherwise() {
    String order = "{'content': {'regex': 'order\\\\s*#?\\\\d{5}'}}";
    assertTrue(holds(order, "where is order #12345?"));
    assertFalse(holds(order, "where is order 12?"));
    assertFalse(holds(order, "ORDER 12345"));
    assertTrue(holds("{'content': {'regex': '(?i)^order'}}", "ORDER 12345"));
  }

  @Test
  void theClosingClass() {
    String closing = "{'content': {'class': 'closing'}}";
    assertTrue(holds(closing, "Thanks!"));
    assertFalse(holds(closing, "thanks, but where is my order?"));
  }

  @Test
  void everyPartOfAContentConditionMustHold() {
    String both = "{'content': {'keywords': ['invoice'], 'regex': '\\\\d+'}}";
    assertTrue(holds(both, "invoice 42"));
    assertFalse(holds(both, "invoice"));
    assertFalse(holds(both, "42"));
  }

  @Test
  void from() {
    String fromAlice = "{'from': ['alice', 'carol']}";
    assertTrue(holds(fromAlice, new IncomingMessage("alice", false, "c-1", "hi", false, NOW), online()));
    assertFalse(holds(fromAlice, message("hi"), online()));
  }

  @Test
  void fromVirtual() {
    IncomingMessage fromShop = new IncomingMessage("shop", true, "c-1", "hi", false, NOW);
    assertTrue(holds("{'fromVirtual': true}", fromShop, online()));
    assertFalse(holds("{'fromVirtual': true}", message("hi"), online()));
    assertTrue(holds("{'fromVirtual': false}", message("hi"), online()));
    assertFalse(holds("{'fromVirtual': false}", fromShop, online()));
  }

  @Test
  void theRecipientsStatus() {
    String busy = "{'status': ['busy', 'away']}";
    assertTrue(holds(busy, message("hi"), RecipientState.of("busy")));
    assertFalse(holds(busy, message("hi"), online()));
  }

  @Test
  void theRecipientsActivity() {
    String presenting = "{'activity': ['presenting']}";
    assertTrue(holds(presenting, message("hi"), new RecipientState("online", "presenting", null, null)));
    assertFalse(holds(presenting, message("hi"), new RecipientState("online", "typing", null, null)));
    assertFalse(holds(presenting, message("hi"), online()));
  }

  @Test
  void aClosingTheRecipientSentInThisConversationRecently() {
    String afterClosing = "{'conversation': {'closingSentWithin': 'PT5M'}}";
    RecipientState closedFourMinutesAgo = online().withClosingSent("c-1", NOW - 4 * MINUTE);
    assertTrue(holds(afterClosing, message("yw"), closedFourMinutesAgo));
    assertTrue(holds(afterClosing, message("yw"), online().withClosingSent("c-1", NOW - 5 * MINUTE)));
    assertFalse(holds(afterClosing, message("yw"), online().withClosingSent("c-1", NOW - 6 * MINUTE)));
    assertFalse(holds(afterClosing, message("yw"), online().withClosingSent("c-2", NOW)));
    assertFalse(holds(afterClosing, message("yw"), online()));
  }

  @Test
  void not() {
    assertTrue(holds("{'not': {'from': ['alice']}}", "hi"));
    assertFalse(holds("{'not': {'from': ['bob']}}", "hi"));
  }

  @Test
  void anyOfSeveralConditions() {
    String any = "{'any': [{'from': ['alice']}, {'status': ['busy']}]}";
    assertTrue(holds(any, message("hi"), RecipientState.of("busy")));
    assertFalse(holds(any, message("hi"), online()));
  }

  @Test
  void everyKeyGivenMustHold() {
    String bobWhileBusy = "{'from': ['bob'], 'status': ['busy']}";
    assertFalse(holds(bobWhileBusy, message("hi"), online()));
    assertTrue(holds(bobWhileBusy, message("hi"), RecipientState.of("busy")));
  }

  @Test
  void anEmptyConditionHoldsForEveryMessage() {
    assertTrue(holds("{}", "anything"));
    assertTrue(holds("{'content': {}}", ""));
  }

  @Test
  void theStateMapsAreCopies() {
    Map<String, Long> closings = new HashMap<>(Map.of("c-1", NOW));
    RecipientState state = new RecipientState("online", null, null, closings);
    closings.clear();
    assertTrue(holds("{'conversation': {'closingSentWithin': 'PT1M'}}", message("yw"), state));
  }
}
