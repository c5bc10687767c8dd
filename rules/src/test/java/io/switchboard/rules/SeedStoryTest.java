package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.switchboard.rules.Fixtures.MINUTE;
import static io.switchboard.rules.Fixtures.NOW;
import static io.switchboard.rules.Fixtures.json;
import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source patent's story (seeds/003, "Content and context based handling of instant messages"): a user asks
 * a correspondent a question, gets the answer, and replies "Thanks". From the user's side the conversation is
 * over, but the correspondent's "yw", and then "ttyl", would each pop the window up again and interrupt. With
 * the issue's example rules they arrive without a notification, and a real question afterwards still pops up.
 */
class SeedStoryTest {

  /** The rules document of issue 6, as written there. */
  static final String ISSUE_EXAMPLE = """
      {'timeZone': 'Europe/Berlin',
       'rules': [
         {'id': 'quiet-closings', 'priority': 10, 'when': {'content': {'class': 'closing'}},
          'then': {'notify': 'none'}},
         {'id': 'hold-when-busy', 'priority': 20,
          'when': {'status': ['busy'], 'not': {'content': {'keywords': ['urgent']}}}, 'then': {'hold': true}},
         {'id': 'night', 'priority': 30, 'when': {'time': {'from': '22:00', 'to': '07:00'}},
          'then': {'autoReply': 'Back at 7:00.', 'notify': 'silent'}}
       ],
       'activations': [
         {'id': 'after-thanks', 'on': {'event': 'sent', 'content': {'class': 'closing'}},
          'activate': ['quiet-closings'], 'for': 'PT10M'}
       ]}""";

  private final RulesDocument rules = RulesDocument.fromJson(json(ISSUE_EXAMPLE));

  private Notify notifyAt(String body, long at, RecipientState user) {
    Verdict verdict = RulesEngine.decide(rules, message(body, at), user);
    assertEquals(Verdict.Disposition.DELIVER, verdict.disposition());
    return verdict.notifyLevel();
  }

  @Test
  void afterTheUsersThanksTheCorrespondentsClosingsArriveQuietlyButAQuestionPopsUp() {
    RecipientState user = online();
    assertEquals(Notify.POPUP, notifyAt("The meeting moved to room 4.12.", NOW, user));
    // Before the user has thanked anyone, a closing is a message like any other.
    assertEquals(Notify.POPUP, notifyAt("yw", NOW, user));

    long thanked = NOW + MINUTE;
    user = user.withActivations(RulesEngine.onSent(rules, "Thanks", thanked));

    assertEquals(Notify.NONE, notifyAt("yw", thanked + MINUTE, user));
    assertEquals(Notify.NONE, notifyAt("ttyl", thanked + 2 * MINUTE, user));
    assertEquals(Notify.POPUP, notifyAt("Oh, and could you send me the minutes?", thanked + 3 * MINUTE, user));
    // Ten minutes after the thanks the rule is inactive again.
    assertEquals(Notify.POPUP, notifyAt("bye", thanked + 10 * MINUTE, user));
  }

  @Test
  void theSameStoryWithAConversationConditionInsteadOfAnActivation() {
    RulesDocument perConversation = Fixtures.rule(
        "{'content': {'class': 'closing'}, 'conversation': {'closingSentWithin': 'PT10M'}}", "{'notify': 'none'}");
    long thanked = NOW;
    // What the gateway records when the user sends a message that is a closing.
    assertTrue(ClosingClass.isClosing("Thanks"));
    RecipientState user = online().withClosingSent("c-1", thanked);
    assertEquals(Notify.NONE, RulesEngine.decide(perConversation, message("yw", thanked + MINUTE), user).notifyLevel());
    assertEquals(Notify.POPUP,
        RulesEngine.decide(perConversation, message("but wait", thanked + MINUTE), user).notifyLevel());
    IncomingMessage otherConversation = new IncomingMessage("carol", false, "c-2", "yw", false, thanked + MINUTE);
    assertEquals(Notify.POPUP, RulesEngine.decide(perConversation, otherConversation, user).notifyLevel());
  }

  @Test
  void theOtherRulesOfTheExample() {
    RecipientState busy = RecipientState.of("busy");
    assertEquals(new Verdict("hold-when-busy", Verdict.Disposition.HOLD, Notify.POPUP, null),
        RulesEngine.decide(rules, message("lunch?"), busy));
    assertEquals(Verdict.DEFAULT, RulesEngine.decide(rules, message("URGENT: the server is down"), busy));

    long berlinMidnight = Instant.parse("2025-01-17T23:00:00Z").toEpochMilli();
    assertEquals(new Verdict("night", Verdict.Disposition.DELIVER, Notify.SILENT, "Back at 7:00."),
        RulesEngine.decide(rules, message("still up?", berlinMidnight), online()));
  }
}
