package io.switchboard.rules;

import io.switchboard.rules.Suggestions.Feedback;
import io.switchboard.rules.Suggestions.Suggestion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.switchboard.rules.Fixtures.MINUTE;
import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.json;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adaptive manager's reading of feedback: when a pattern is proposed, as which rule, and when it is not. */
class SuggestionsTest {

  private static List<Feedback> marks(String sender, boolean closing, String wanted, int count) {
    List<Feedback> feedback = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      feedback.add(new Feedback(sender, closing, List.of(), wanted, NOW + i * MINUTE));
    }
    return feedback;
  }

  private static List<Suggestion> of(List<Feedback> feedback) {
    return of("abc", RulesDocument.EMPTY, feedback, Set.of());
  }

  private static List<Suggestion> of(String user, RulesDocument document, List<Feedback> feedback,
                                     Set<String> dismissed) {
    return Suggestions.of(user, document, RulesDocument.SHIPPED_DEFAULTS, feedback, List.of(), dismissed, NOW);
  }

  @Test
  void aPatternIsProposedFromFiveAgreeingWishesThatAreAtLeastFourFifthsOfAll() {
    assertEquals(List.of(), of(marks("carol", false, "silent", 4)));
    List<Feedback> five = marks("carol", false, "silent", 5);
    Suggestion suggestion = of(five).get(0);
    assertEquals("from:carol:silent", suggestion.key());
    assertEquals(json("{'id': 'from-carol-silent', 'priority': 0, 'when': {'from': ['carol']},"
        + " 'then': {'notify': 'silent'}}"), suggestion.rule().toJson());
    assertEquals(5, suggestion.support());
    assertEquals(1.0, suggestion.confidence());

    List<Feedback> mixed = new ArrayList<>(five);
    mixed.addAll(marks("carol", false, "popup", 2));
    assertEquals(List.of(), of(mixed), "5 of 7 is less than 0.8");
    mixed.addAll(marks("carol", false, "silent", 3));
    assertEquals(0.8, of(mixed).get(0).confidence());
    assertEquals("You marked 8 of 10 messages from carol as silent (feedback on 1 day): deliver them with silent.",
        of(mixed).get(0).evidence());
  }

  @Test
  void aWishToHoldBecomesAHoldThatEndsWhenTheUserIsOnline() {
    Suggestion hold = of(marks("boss", false, "hold", 5)).get(0);
    assertEquals(json("{'id': 'from-boss-hold', 'priority': 0, 'when': {'from': ['boss'],"
        + " 'not': {'status': ['online']}}, 'then': {'hold': true}}"), hold.rule().toJson());
    Suggestions.adopt(RulesDocument.EMPTY, hold); // a valid document: the hold can end
  }

  @Test
  void dismissedSuggestionsAndRulesTheUserHasAreNotProposedAndIdsArePerUser() {
    List<Feedback> closings = marks("bob", true, "none", 5);
    List<Suggestion> both = of(closings);
    assertEquals(List.of("from:bob:none", "closings:none"), both.stream().map(Suggestion::key).toList());
    assertEquals(List.of("closings:none"), of("abc", RulesDocument.EMPTY, closings,
        Set.of("from:bob:none")).stream().map(Suggestion::key).toList());
    RulesDocument has = rules("{'rules': [{'id': 'mine', 'priority': 7, 'when': {'content': {'class': 'closing'}},"
        + " 'then': {'notify': 'none'}}]}");
    assertEquals(List.of("from:bob:none"),
        of("abc", has, closings, Set.of()).stream().map(Suggestion::key).toList());
    assertNotEquals(both.get(0).id(), of("carol", RulesDocument.EMPTY, closings, Set.of()).get(0).id());
    assertTrue(both.get(0).id().startsWith("s-"));
  }

  @Test
  void adoptingAddsTheRuleLastAndKeepsTheRestOfTheDocument() {
    RulesDocument document = rules("{'timeZone': 'Europe/Berlin', 'defaults': false, 'rules': [{'id': 'r',"
        + " 'when': {}, 'then': {'notify': 'silent'}}]}");
    RulesDocument adopted = Suggestions.adopt(document, of(marks("carol", false, "none", 5)).get(0));
    assertEquals(List.of("r", "from-carol-none"), adopted.rules().stream().map(Rule::id).toList());
    assertEquals(document.timeZone(), adopted.timeZone());
    assertEquals(false, adopted.useDefaults());
  }

  // --- what the user was seen to do

  private static final long DAY = 24 * 60 * MINUTE;
  private static final long SECOND = 1000;

  /** A scripted user's days: what it received and sent, each stamped as the store would. */
  private static final class Script {
    final List<Observation> observations = new ArrayList<>();
    private long seq;

    /** {@code sender} sends {@code body} in {@code conversation} at {@code at} while abc is in {@code status}. */
    Script receive(String conversation, String sender, String body, long at, String status, String activity) {
      Observation received = Observation.received(conversation, ++seq, sender, ClosingClass.isClosing(body), at);
      observations.add(new Observation(false, conversation, received.seq(), sender, received.closing(), at, status,
          activity));
      return this;
    }

    Script send(String conversation, String body, long at, String status, String activity) {
      Observation sent = Observation.sent(conversation, ++seq, ClosingClass.isClosing(body), at);
      observations.add(new Observation(true, conversation, sent.seq(), null, sent.closing(), at, status, activity));
      return this;
    }

    List<Suggestion> at(long now) {
      return at(now, RulesDocument.EMPTY);
    }

    List<Suggestion> at(long now, RulesDocument document) {
      return Suggestions.of("abc", document, RulesDocument.SHIPPED_DEFAULTS, List.of(), observations, Set.of(), now);
    }
  }

  private static List<String> keys(List<Suggestion> suggestions) {
    return suggestions.stream().map(Suggestion::key).toList();
  }

  @Test
  void aSenderAlwaysAnsweredWithinAMinuteIsImportantAndOneNeverAnsweredWhileBusyIsNot() {
    Script days = new Script();
    for (int day = 0; day < 5; day++) {
      long morning = NOW + day * DAY;
      days.receive("c-bob", "bob", "can you look at the build?", morning, "online", null)
          .send("c-bob", "on it", morning + 40 * SECOND, "online", null)
          .receive("c-carol", "carol", "lunch today?", morning + MINUTE, "busy", null);
    }
    long lastMorning = NOW + 4 * DAY;
    assertEquals(List.of("from:bob:popup"), keys(days.at(lastMorning + MINUTE)),
        "the last lunch question is not unanswered yet: abc has four hours");
    List<Suggestion> later = days.at(lastMorning + MINUTE + Suggestions.ANSWER_WINDOW.toMillis());
    assertEquals(List.of("from:bob:popup", "unanswered-busy:carol:silent"), keys(later));
    Suggestion popup = later.get(0);
    assertEquals(json("{'id': 'from-bob-popup', 'priority': 0, 'when': {'from': ['bob']},"
        + " 'then': {'notify': 'popup'}}"), popup.rule().toJson());
    assertEquals("You answered 5 of 5 messages from bob within a minute (on 5 days): let them pop up.",
        popup.evidence());
    // Marked popup too, bob's messages are one suggestion, and one dismissal ends it.
    List<Feedback> marked = marks("bob", false, "popup", 5);
    long now = lastMorning + MINUTE + Suggestions.ANSWER_WINDOW.toMillis();
    List<Suggestion> both = Suggestions.of("abc", RulesDocument.EMPTY, RulesDocument.SHIPPED_DEFAULTS, marked,
        days.observations, Set.of(), now);
    assertEquals(List.of("from:bob:popup", "unanswered-busy:carol:silent"), keys(both));
    assertTrue(both.get(0).evidence().startsWith("You marked 5 of 5 messages from bob as popup"));
    assertEquals(List.of("unanswered-busy:carol:silent"), keys(Suggestions.of("abc", RulesDocument.EMPTY,
        RulesDocument.SHIPPED_DEFAULTS, marked, days.observations, Set.of("from:bob:popup"), now)));
    Suggestion silent = later.get(1);
    assertEquals(json("{'id': 'from-carol-silent-busy', 'priority': 0, 'when': {'from': ['carol'],"
        + " 'status': ['busy']}, 'then': {'notify': 'silent'}}"), silent.rule().toJson());
    assertEquals("You left 5 of 5 messages from carol that came while you were busy unanswered (on 5 days):"
        + " deliver them with silent while you are busy.", silent.evidence());
    assertEquals(5, silent.support());
    assertEquals(1.0, silent.confidence());

    // Two answers to bob after two minutes: 5 of 7 is below 0.8; an answer carol finally got counts against her.
    long sixth = NOW + 5 * DAY;
    days.receive("c-bob", "bob", "and now?", sixth, "online", null)
        .send("c-bob", "looking", sixth + 2 * MINUTE, "online", null)
        .receive("c-bob", "bob", "and now??", sixth + 3 * MINUTE, "online", null)
        .send("c-bob", "still looking", sixth + 5 * MINUTE, "online", null)
        .receive("c-carol", "carol", "coffee?", sixth, "busy", null)
        .send("c-carol", "sure", sixth + MINUTE, "busy", null);
    assertEquals(List.of("unanswered-busy:carol:silent"), keys(days.at(sixth + DAY)));
    assertEquals(0.833, days.at(sixth + DAY).get(0).confidence());
    Suggestions.adopt(RulesDocument.EMPTY, silent);
  }

  @Test
  void messagesAnsweredOnlyOnceNoLongerBusyOrPresentingAreProposedAHoldPerSenderOrForEveryone() {
    Script days = new Script();
    for (int day = 0; day < 5; day++) {
      long morning = NOW + day * DAY;
      days.receive("c-dave", "dave", "got a minute?", morning, "busy", null)
          .send("c-dave", "now I do", morning + 30 * MINUTE, "online", null);
    }
    List<Suggestion> perSender = days.at(NOW + 5 * DAY);
    assertEquals(List.of("hold:dave:busy"), keys(perSender));
    assertEquals(json("{'id': 'from-dave-hold-busy', 'priority': 0, 'when': {'from': ['dave'], 'status': ['busy']},"
        + " 'then': {'hold': true}}"), perSender.get(0).rule().toJson());
    assertEquals("You answered 5 of 5 messages from dave that came while you were busy only once you were no longer"
        + " busy (on 5 days): hold them while you are busy.", perSender.get(0).evidence());
    RulesDocument adopted = Suggestions.adopt(RulesDocument.EMPTY, perSender.get(0)); // a hold that can end
    assertEquals(List.of(), days.at(NOW + 5 * DAY, adopted), "never a rule the user has");

    // While presenting, erin and frank are answered only afterwards: one hold for everyone, while presenting.
    for (int day = 0; day < 3; day++) {
      long afternoon = NOW + day * DAY + 6 * 60 * MINUTE;
      days.receive("c-erin", "erin", "status?", afternoon, "online", "presenting")
          .receive("c-frank", "frank", "call me", afternoon, "online", "presenting")
          .send("c-erin", "done now", afternoon + 45 * MINUTE, "online", null)
          .send("c-frank", "calling", afternoon + 46 * MINUTE, "online", null);
    }
    List<Suggestion> general = days.at(NOW + 5 * DAY);
    assertEquals(List.of("hold:dave:busy", "hold:presenting"), keys(general));
    assertEquals(json("{'id': 'hold-presenting', 'priority': 0, 'when': {'activity': ['presenting']},"
        + " 'then': {'hold': true}}"), general.get(1).rule().toJson());
    assertEquals("You answered 6 of 6 messages from 2 senders that came while you were presenting only once you were"
        + " no longer presenting (on 3 days): hold messages while you are presenting.", general.get(1).evidence());

    // Answered while still busy, a sender's messages should not wait: no hold.
    Script answeredAnyway = new Script();
    for (int day = 0; day < 5; day++) {
      long morning = NOW + day * DAY;
      answeredAnyway.receive("c-dave", "dave", "got a minute?", morning, "busy", null)
          .send("c-dave", "yes", morning + 5 * MINUTE, "busy", null);
    }
    assertEquals(List.of(), answeredAnyway.at(NOW + 5 * DAY));
  }

  @Test
  void closingsLeftUnansweredAfterTheUsersOwnAreTheSeedsRuleWhichTheShippedDefaultsAlreadyHave() {
    Script days = new Script();
    for (int day = 0; day < 5; day++) {
      long evening = NOW + day * DAY;
      days.receive("c-bob", "bob", "here is the report", evening, "online", null)
          .send("c-bob", "Thanks!", evening + 5 * MINUTE, "online", null)
          .receive("c-bob", "bob", "yw", evening + 6 * MINUTE, "online", null);
    }
    assertEquals(List.of(), days.at(NOW + 5 * DAY), "the shipped default rule already quiets them");
    List<Suggestion> withoutDefaults = days.at(NOW + 5 * DAY, rules("{'defaults': false}"));
    assertEquals(List.of("closings-after-yours:none"), keys(withoutDefaults));
    Suggestion closings = withoutDefaults.get(0);
    assertEquals(json("{'id': 'closings-after-yours-none', 'priority': 0, 'when': {'content': {'class': 'closing'},"
        + " 'conversation': {'closingSentWithin': 'PT10M'}}, 'then': {'notify': 'none'}}"), closings.rule().toJson());
    assertEquals("You left 5 of 5 closings that came within 10 minutes of your own closing unanswered (on 5 days):"
        + " deliver them with none.", closings.evidence());
    assertEquals(List.of(), Suggestions.of("abc", rules("{'defaults': false}"), RulesDocument.SHIPPED_DEFAULTS,
        List.of(), days.observations, Set.of("closings-after-yours:none"), NOW + 5 * DAY), "dismissed");
  }

  @Test
  void aKeywordOfMessagesMarkedQuietFromSeveralSendersIsProposedOnlyWhenItTellsThemApart() {
    List<Feedback> feedback = new ArrayList<>();
    List<String> bodies = List.of("Monthly NEWSLETTER: spring", "newsletter — summer edition", "The newsletter, again",
        "newsletter #4", "Newsletter five");
    for (int i = 0; i < bodies.size(); i++) {
      feedback.add(new Feedback(i % 2 == 0 ? "shop" : "club", false, Suggestions.words(bodies.get(i)), "none",
          NOW + i * DAY));
    }
    assertEquals(List.of("monthly", "newsletter", "spring"), Suggestions.words("Monthly NEWSLETTER: spring"));
    assertEquals(List.of(), of(feedback), "nothing marked otherwise: nothing shows the word matters");
    for (String body : List.of("the meeting moved", "the build is red")) {
      feedback.add(new Feedback("bob", false, Suggestions.words(body), "popup", NOW));
    }
    List<Suggestion> suggestions = of(feedback);
    assertEquals(List.of("keyword:newsletter:none"), keys(suggestions), "'the' is in messages marked popup too");
    assertEquals(json("{'id': 'keyword-newsletter-none', 'priority': 0, 'when': {'content': {'keywords':"
        + " ['newsletter']}}, 'then': {'notify': 'none'}}"), suggestions.get(0).rule().toJson());
    assertEquals("You marked 5 of 5 messages saying \"newsletter\" as none (feedback on 5 days, from 2 senders):"
        + " deliver them with none.", suggestions.get(0).evidence());
    RulesDocument adopted = Suggestions.adopt(RulesDocument.EMPTY, suggestions.get(0));
    assertEquals(Notify.NONE, notifyOf(adopted, "The newsletter is out"));
  }

  private static Notify notifyOf(RulesDocument document, String body) {
    return RulesEngine.decide(document, Fixtures.message(body), Fixtures.online()).notifyLevel();
  }
}
