package io.switchboard.rules;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import static io.switchboard.rules.Fixtures.json;
import static io.switchboard.rules.Fixtures.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Reading, writing and checking rules documents. */
class RulesDocumentTest {

  /** One rule of each condition and each action, and an activation of each event. */
  private static final String EVERYTHING = """
      {'timeZone': 'Asia/Shanghai',
       'rules': [
         {'id': 'content', 'priority': -5,
          'when': {'content': {'keywords': ['urgent', 'call me'], 'regex': '(?i)^re:', 'class': 'closing'}},
          'then': {'notify': 'silent'}},
         {'id': 'sender', 'priority': 0, 'enabled': false, 'when': {'from': ['alice'], 'fromVirtual': false},
          'then': {'drop': true, 'autoReply': 'No.'}},
         {'id': 'context', 'priority': 1,
          'when': {'status': ['busy', 'away'], 'activity': ['presenting'],
                   'time': {'from': '22:00', 'to': '07:00', 'days': ['mon', 'fri']}},
          'then': {'hold': true, 'notify': 'none'}},
         {'id': 'nested', 'priority': 2,
          'when': {'conversation': {'closingSentWithin': 'PT5M'},
                   'not': {'any': [{'fromVirtual': true}, {'time': {'days': ['sun']}}]}},
          'then': {'transcript': true}}
       ],
       'activations': [
         {'id': 'a-sent', 'on': {'event': 'sent', 'content': {'class': 'closing'}}, 'activate': ['content'],
          'for': 'PT10M'},
         {'id': 'a-status', 'on': {'event': 'status', 'status': ['busy']}, 'activate': ['context', 'nested'],
          'for': 'PT1H'},
         {'id': 'a-closed', 'on': {'event': 'closed'}, 'activate': ['nested'], 'for': 'PT24H'}
       ]}""";

  @Test
  void readsTheIssuesExample() {
    RulesDocument rules = rules(SeedStoryTest.ISSUE_EXAMPLE);

    assertEquals(ZoneId.of("Europe/Berlin"), rules.timeZone());
    assertEquals(List.of("quiet-closings", "hold-when-busy", "night"), rules.rules().stream().map(Rule::id).toList());
    Rule night = rules.rules().get(2);
    assertEquals(30, night.priority());
    assertTrue(night.enabled());
    assertEquals(new Action(Verdict.Disposition.DELIVER, Notify.SILENT, "Back at 7:00."), night.then());
    ActivationRule afterThanks = rules.activations().get(0);
    assertEquals(ActivationRule.Event.SENT, afterThanks.on().event());
    assertTrue(afterThanks.on().content().closing());
    assertEquals(List.of("quiet-closings"), afterThanks.activate());
    assertEquals(Duration.ofMinutes(10), afterThanks.duration());
    assertTrue(rules.isActivated("quiet-closings"));
    assertFalse(rules.isActivated("night"));
  }

  @Test
  void writesTheIssuesExampleBackAsWritten() {
    assertEquals(json(SeedStoryTest.ISSUE_EXAMPLE), rules(SeedStoryTest.ISSUE_EXAMPLE).toJson());
  }

  @Test
  void writesEveryConditionAndActionBackAsWritten() {
    RulesDocument rules = rules(EVERYTHING);
    assertEquals(json(EVERYTHING), rules.toJson());
    assertEquals(rules.toJson(), RulesDocument.fromJson(rules.toJson()).toJson());
  }

  @Test
  void durationsAreWrittenBackInTheirNormalForm() {
    RulesDocument rules = rules("{'rules': [{'id': 'r', 'when': {'conversation': {'closingSentWithin': 'P1D'}},"
        + " 'then': {}}]}");
    assertEquals(Duration.ofDays(1), rules.rules().get(0).when().closingSentWithin());
    assertEquals("PT24H", rules.toJson().getJsonArray("rules").getJsonObject(0)
        .getJsonObject("when").getJsonObject("conversation").getString("closingSentWithin"));
  }

  @Test
  void everyKeyMayBeLeftOut() {
    RulesDocument rules = RulesDocument.fromJson(new JsonObject());
    assertEquals(RulesDocument.EMPTY, rules);
    assertEquals(json("{'timeZone': 'UTC', 'rules': [], 'activations': []}"), rules.toJson());
    Rule minimal = rules("{'rules': [{'id': 'r', 'when': {}, 'then': {}}]}").rules().get(0);
    assertEquals(new Rule("r", 0, true, Condition.ALWAYS, new Action(Verdict.Disposition.DELIVER, null, null)),
        minimal);
  }

  @Test
  void evaluationOrderIsByPriorityThenDocumentOrder() {
    assertEquals(List.of("content", "sender", "context", "nested"),
        rules(EVERYTHING).evaluationOrder().stream().map(Rule::id).toList());
  }

  static Stream<Arguments> invalidDocuments() {
    String rule = "{'rules': [{'id': 'r', 'when': %s, 'then': %s}]}";
    String activation = "{'rules': [{'id': 'r', 'when': {}, 'then': {}}], 'activations': [{'id': 'a', 'on': %s,"
        + " 'activate': %s, 'for': %s}]}";
    return Stream.of(
        // unknown keys, at every level
        arguments("{'rule': []}", "rule: unknown key; expected one of timeZone, rules, activations, defaults"),
        arguments(rule.formatted("{'colour': 'red'}", "{}"), "rules[0].when.colour: unknown key; expected one of"
            + " content, from, fromVirtual, status, activity, time, conversation, not, any"),
        arguments(rule.formatted("{}", "{'popup': true}"),
            "rules[0].then.popup: unknown key; expected one of notify, hold, transcript, drop, autoReply"),
        arguments(rule.formatted("{'not': {'content': {'keyword': ['x']}}}", "{}"),
            "rules[0].when.not.content.keyword: unknown key; expected one of keywords, regex, class"),
        arguments(rule.formatted("{'any': [{}, {'time': {'from': '09:00', 'to': '10:00', 'tz': 'UTC'}}]}", "{}"),
            "rules[0].when.any[1].time.tz: unknown key; expected one of from, to, days"),
        arguments(rule.formatted("{'conversation': {'closed': true}}", "{}"),
            "rules[0].when.conversation.closed: unknown key; expected one of closingSentWithin"),
        arguments("{'rules': [{'id': 'r', 'when': {}, 'then': {}, 'comment': 'hi'}]}",
            "rules[0].comment: unknown key; expected one of id, priority, enabled, when, then"),
        arguments(activation.formatted("{'event': 'closed', 'after': 'PT1M'}", "['r']", "'PT1M'"),
            "activations[0].on.after: unknown key; expected one of event, content, status"),
        // regular expressions
        arguments(rule.formatted("{'content': {'regex': '('}}", "{}"),
            "rules[0].when.content.regex: \"(\" is not a valid regular expression: missing closing ) at \"(\""),
        arguments(rule.formatted("{'content': {'regex': '(?<name>x)'}}", "{}"), "rules[0].when.content.regex:"
            + " \"(?<name>x)\" is not a valid regular expression: invalid or unsupported Perl syntax at \"(?<\""),
        // times, zones, durations
        arguments("{'rules': [{'id': 'a', 'when': {}, 'then': {}}, {'id': 'b', 'when': {'time': {'from': '25:00',"
            + " 'to': '07:00'}}, 'then': {}}]}", "rules[1].when.time.from: \"25:00\" is not a time HH:mm"),
        arguments(rule.formatted("{'time': {'from': '22:00', 'to': '7:00'}}", "{}"),
            "rules[0].when.time.to: \"7:00\" is not a time HH:mm"),
        arguments(rule.formatted("{'time': {'from': '22:00'}}", "{}"), "rules[0].when.time.to: is required with from"),
        arguments(rule.formatted("{'time': {'from': '22:00', 'to': '22:00'}}", "{}"), "rules[0].when.time.to:"
            + " equals from: the window would be empty; leave both out for the whole day"),
        arguments(rule.formatted("{'time': {}}", "{}"), "rules[0].when.time: needs from and to, or days, or both"),
        arguments(rule.formatted("{'time': {'days': ['mon', 'Tue']}}", "{}"),
            "rules[0].when.time.days[1]: \"Tue\" is not a day (mon, tue, wed, thu, fri, sat, sun)"),
        arguments("{'timeZone': 'Mars/Olympus'}",
            "timeZone: \"Mars/Olympus\" is not a time zone (an IANA name such as Europe/Berlin)"),
        arguments(activation.formatted("{'event': 'closed'}", "['r']", "'10 minutes'"),
            "activations[0].for: \"10 minutes\" is not an ISO-8601 duration such as PT10M or P1D"),
        arguments(activation.formatted("{'event': 'closed'}", "['r']", "'-PT1M'"),
            "activations[0].for: \"-PT1M\" must be positive and at most P3650D"),
        arguments(rule.formatted("{'conversation': {'closingSentWithin': 5}}", "{}"), "rules[0].when.conversation"
            + ".closingSentWithin: 5 is not an ISO-8601 duration such as PT10M or P1D"),
        // ids
        arguments("{'rules': [{'id': 'a', 'when': {}, 'then': {}}, {'id': 'a', 'when': {}, 'then': {}}]}",
            "rules[1].id: \"a\" is already the id of rules[0]"),
        arguments("{'activations': [{'id': 'a', 'on': {'event': 'closed'}, 'activate': ['nope'], 'for': 'PT1M'}]}",
            "activations[0].activate[0]: \"nope\" is not the id of a rule"),
        arguments("{'rules': [{'id': 'quiet closings', 'when': {}, 'then': {}}]}",
            "rules[0].id: \"quiet closings\" is not an id (1 to 128 characters without spaces)"),
        arguments("{'rules': [{'when': {}, 'then': {}}]}", "rules[0].id: is required"),
        // actions
        arguments(rule.formatted("{}", "{'notify': 'loud'}"),
            "rules[0].then.notify: \"loud\" is not a notify level (popup, silent, none)"),
        arguments(rule.formatted("{}", "{'hold': true, 'drop': true}"),
            "rules[0].then.drop: cannot be combined with hold (hold, transcript and drop exclude each other)"),
        arguments(rule.formatted("{}", "{'transcript': true, 'notify': 'silent'}"),
            "rules[0].then.notify: has no effect with transcript: nothing is delivered"),
        arguments(rule.formatted("{}", "{'hold': 'yes'}"), "rules[0].then.hold: must be true or false, not \"yes\""),
        arguments(rule.formatted("{}", "{'autoReply': ''}"),
            "rules[0].then.autoReply: must be a non-empty string, not \"\""),
        // conditions
        arguments(rule.formatted("{'status': ['sleeping']}", "{}"),
            "rules[0].when.status[0]: \"sleeping\" is not a status (online, busy, away, offline)"),
        arguments(rule.formatted("{'from': []}", "{}"), "rules[0].when.from: must be a non-empty array of strings"),
        arguments(rule.formatted("{'any': []}", "{}"), "rules[0].when.any: must be a non-empty array of conditions"),
        arguments(rule.formatted("{'not': []}", "{}"), "rules[0].when.not: must be an object"),
        arguments(rule.formatted("{'content': {'class': 'greeting'}}", "{}"),
            "rules[0].when.content.class: \"greeting\" is not a content class (closing)"),
        arguments(rule.formatted("{'fromVirtual': 'yes'}", "{}"),
            "rules[0].when.fromVirtual: must be true or false, not \"yes\""),
        arguments("{'rules': [{'id': 'r', 'priority': 1.5, 'when': {}, 'then': {}}]}",
            "rules[0].priority: must be a whole number, not 1.5"),
        arguments("{'rules': [{'id': 'r', 'then': {}}]}", "rules[0].when: is required"),
        arguments(rule.formatted("{'not': ".repeat(30) + "{}" + "}".repeat(30), "{}"),
            "rules[0].when" + ".not".repeat(23) + ": nested too deeply (at most 24 levels)"),
        // activations
        arguments(activation.formatted("{'event': 'opened'}", "['r']", "'PT1M'"),
            "activations[0].on.event: \"opened\" is not an event (sent, status, closed)"),
        arguments(activation.formatted("{'event': 'closed', 'status': ['busy']}", "['r']", "'PT1M'"),
            "activations[0].on.status: does not belong to event \"closed\""),
        arguments(activation.formatted("{'event': 'status'}", "['r']", "'PT1M'"),
            "activations[0].on.status: must be a non-empty array of strings"),
        arguments(activation.formatted("{'event': 'sent'}", "[]", "'PT1M'"),
            "activations[0].activate: must be a non-empty array of strings"));
  }

  @ParameterizedTest
  @MethodSource("invalidDocuments")
  void refusesWithAMessageThatNamesTheProblemAndItsPath(String document, String message) {
    InvalidRulesException refused = assertThrows(InvalidRulesException.class, () -> rules(document));
    assertEquals(message, refused.getMessage());
    assertEquals(message.substring(0, message.indexOf(':')), refused.path());
  }

  @Test
  void aDocumentHasAtMostAHundredRules() {
    String rule = "{'id': 'r%d', 'when': {}, 'then': {}}";
    String rules = Stream.iterate(0, i -> i + 1).limit(101).map(rule::formatted).toList().toString();
    InvalidRulesException refused = assertThrows(InvalidRulesException.class, () -> rules("{'rules': " + rules + "}"));
    assertEquals("rules: at most 100 rules, not 101", refused.getMessage());
  }

  @Test
  void theKeywordsOfADocumentAreLimitedTogether() {
    String keywords = Stream.generate(() -> "'" + "k".repeat(200) + "'").limit(11).toList().toString();
    InvalidRulesException refused = assertThrows(InvalidRulesException.class,
        () -> rules("{'rules': [{'id': 'r', 'when': {'content': {'keywords': " + keywords + "}}, 'then': {}}]}"));
    assertEquals("rules[0].when.content.keywords: the document's keywords are too long together"
        + " (2200 characters, at most 2000)", refused.getMessage());
  }
}
