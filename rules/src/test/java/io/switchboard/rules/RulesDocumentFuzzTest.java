package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the rules document reader with arbitrary JSON and with valid documents changed in one place: it either
 * accepts a document or refuses it with an {@link InvalidRulesException} naming a path, never another exception;
 * an accepted document reads back equal from what it writes, and deciding with it never throws. Tries per
 * property: {@code -Dfuzz.tries} (docs/TESTING.md).
 */
class RulesDocumentFuzzTest {

  /** The document's own vocabulary, so that arbitrary JSON often reaches deep into the reader. */
  private static final List<String> KEYS = List.of("timeZone", "rules", "activations", "id", "priority", "enabled",
      "when", "then", "content", "keywords", "regex", "class", "from", "fromVirtual", "status", "activity", "time",
      "to", "days", "conversation", "closingSentWithin", "not", "any", "notify", "hold", "until", "transcript",
      "drop", "autoReply", "on", "event", "activate", "for");
  private static final List<String> WORDS = List.of("", " ", "\u00a0", "r", "a", "UTC", "Europe/Berlin", "+08:00",
      "Mars/Olympus", "closing", "greeting", "22:00", "07:00", "24:00", "9:00", "mon", "Tue", "sun", "busy",
      "online", "offline", "sleeping", "popup", "silent", "none", "loud", "sent", "status", "closed", "opened",
      "PT10M", "P1D", "-PT1M", "P3651D", "PT0S", "10 minutes", "(a+)+$", "(", "[ab]{100}", "((a{1000}){1000}){1000}",
      "(?i)order\\s*#?\\d{5,8}", "\\Q", "\\pX", "(?P<n>a)(?P<n>b)", "x{2}{3}", "[[:alpha:]]", "\\x{110000}",
      "urgent", "call me", "#urgent", "紧急", "schön", "😀", "\ud800", "a".repeat(129), "a".repeat(201));

  @Property
  void anyJsonIsReadOrRefusedWithAPath(@ForAll("arbitraryDocuments") JsonObject json) {
    readOrRefuse(json);
  }

  @Property
  void aValidDocumentChangedInOnePlaceIsReadOrRefusedWithAPath(@ForAll("changedDocuments") JsonObject json) {
    readOrRefuse(json);
  }

  @Property
  void aValidDocumentIsReadAndWrittenBackAsItWasRead(@ForAll("validDocuments") JsonObject json) {
    RulesDocument rules = RulesDocument.fromJson(json);
    assertEquals(json.getJsonArray("rules", new JsonArray()).size(), rules.rules().size());
    readOrRefuse(json);
  }

  private static void readOrRefuse(JsonObject json) {
    String before = json.encode();
    RulesDocument rules;
    try {
      rules = RulesDocument.fromJson(json);
    } catch (InvalidRulesException refused) {
      assertNotNull(refused.path());
      assertTrue(refused.getMessage().startsWith(refused.path() + ": "), refused.getMessage());
      return;
    } finally {
      assertEquals(before, json.encode(), "reading changed the document");
    }
    JsonObject written = rules.toJson();
    RulesDocument again = RulesDocument.fromJson(written);
    assertEquals(rules, again);
    assertEquals(written, again.toJson());
    assertEquals(rules.contentWindow(), again.contentWindow());
    decideAnything(rules);
  }

  /** Every entry point of the engine, on a few messages and states; none may throw. */
  private static void decideAnything(RulesDocument rules) {
    long now = Fixtures.NOW;
    for (String body : List.of("", "Thanks!", "urgent: call me", "order #12345", "x".repeat(5000) + " urgent")) {
      for (RecipientState recipient : List.of(RecipientState.of("busy"),
          new RecipientState("online", "presenting", activeForAnHour(rules, now), Map.of("c-1", now - 1)))) {
        assertNotNull(RulesEngine.decide(rules, new IncomingMessage("bob", false, "c-1", body, false, now),
            recipient));
        assertNotNull(RulesEngine.decide(rules, new IncomingMessage("shop", true, "c-1", body, true, now),
            recipient));
      }
      assertNotNull(RulesEngine.onSent(rules, body, now));
    }
    RecipientState busy = RecipientState.of("busy");
    IncomingMessage held = new IncomingMessage("bob", false, "c-1", "urgent", false, now);
    for (Rule rule : rules.rules()) {
      RulesEngine.stillHolds(rules, rule.id(), held, busy, now - 1);
      assertTrue(RulesEngine.nextHoldChange(rules, rule.id(), now - 1, busy, now) > now);
    }
    assertNotNull(RulesEngine.onStatus(rules, "busy", now));
    assertNotNull(RulesEngine.onClosed(rules, now));
  }

  private static Map<String, Long> activeForAnHour(RulesDocument rules, long now) {
    Map<String, Long> active = new LinkedHashMap<>();
    rules.rules().forEach(rule -> active.put(rule.id(), now + 3_600_000));
    return active;
  }

  // --- arbitrary JSON

  /** Mostly the three keys of a document at the top, anything below them. */
  @Provide
  Arbitrary<JsonObject> arbitraryDocuments() {
    Arbitrary<String> key = Arbitraries.frequencyOf(
        Tuple.of(9, Arbitraries.of(RulesDocument.KEYS)),
        Tuple.of(1, Arbitraries.of(KEYS)));
    return Arbitraries.maps(key, json(4)).ofMaxSize(3).map(map -> new JsonObject(new LinkedHashMap<>(map)));
  }

  private static Arbitrary<Object> json(int depth) {
    if (depth == 0) {
      return leaf();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(5, leaf()),
        Tuple.of(3, Arbitraries.lazy(() -> object(depth - 1)).map(Object.class::cast)),
        Tuple.of(2, Arbitraries.lazy(() -> array(depth - 1)).map(Object.class::cast)));
  }

  private static Arbitrary<JsonObject> object(int depth) {
    Arbitrary<String> key = Arbitraries.frequencyOf(
        Tuple.of(9, Arbitraries.of(KEYS)),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(8)));
    return Arbitraries.maps(key, json(depth)).ofMaxSize(6).map(map -> new JsonObject(new LinkedHashMap<>(map)));
  }

  private static Arbitrary<JsonArray> array(int depth) {
    return json(depth).list().ofMaxSize(4).map(items -> new JsonArray(new ArrayList<>(items)));
  }

  private static Arbitrary<Object> leaf() {
    return Arbitraries.oneOf(
        Arbitraries.of(WORDS).map(Object.class::cast),
        Arbitraries.strings().ofMaxLength(20).map(Object.class::cast),
        Arbitraries.integers().map(Object.class::cast),
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.just(null));
  }

  // --- valid documents, and changed ones

  @Provide
  Arbitrary<JsonObject> validDocuments() {
    Arbitrary<List<JsonObject>> rules = rule().list().ofMaxSize(5);
    Arbitrary<String> zone = Arbitraries.of("UTC", "Europe/Berlin", "+08:00", "Asia/Shanghai").injectNull(0.3);
    return Combinators.combine(zone, rules, activation().list().ofMaxSize(3)).as((timeZone, ruleList, activations) -> {
      JsonObject document = new JsonObject();
      if (timeZone != null) {
        document.put("timeZone", timeZone);
      }
      JsonArray rulesJson = new JsonArray();
      for (int i = 0; i < ruleList.size(); i++) {
        rulesJson.add(ruleList.get(i).copy().put("id", "r" + i));
      }
      document.put("rules", rulesJson);
      if (!ruleList.isEmpty()) {
        JsonArray activationsJson = new JsonArray();
        for (int i = 0; i < activations.size(); i++) {
          activationsJson.add(activations.get(i).copy().put("id", "a" + i)
              .put("activate", new JsonArray().add("r" + (i % ruleList.size()))));
        }
        document.put("activations", activationsJson);
      }
      return document;
    });
  }

  @Provide
  Arbitrary<JsonObject> changedDocuments() {
    return Combinators.combine(validDocuments(), Arbitraries.integers().greaterOrEqual(0),
        Arbitraries.of(Change.values()), json(2)).as(RulesDocumentFuzzTest::change);
  }

  private enum Change { REPLACE, REMOVE, ADD_KEY }

  /** The document with one value (the {@code at}-th of all, counting depth first) replaced or removed, or a key added. */
  private static JsonObject change(JsonObject valid, int at, Change change, Object value) {
    JsonObject document = valid.copy();
    List<Object[]> places = new ArrayList<>();
    collect(document, places);
    Object[] place = places.get(at % places.size());
    if (place[0] instanceof JsonObject object) {
      String key = (String) place[1];
      switch (change) {
        case REPLACE -> object.put(key, value);
        case REMOVE -> object.remove(key);
        case ADD_KEY -> object.put(KEYS.get(at % KEYS.size()), value);
      }
    } else {
      JsonArray array = (JsonArray) place[0];
      int index = (Integer) place[1];
      switch (change) {
        case REPLACE -> array.set(index, value);
        case REMOVE -> array.remove(index);
        case ADD_KEY -> array.add(value);
      }
    }
    return document;
  }

  /** Every (container, key or index) of the document. */
  private static void collect(Object container, List<Object[]> places) {
    if (container instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        places.add(new Object[] {object, key});
        collect(object.getValue(key), places);
      }
    } else if (container instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        places.add(new Object[] {array, i});
        collect(array.getValue(i), places);
      }
    }
  }

  private static Arbitrary<JsonObject> rule() {
    return Combinators.combine(Arbitraries.integers().between(-3, 3).injectNull(0.5),
            Arbitraries.of(true, false).injectNull(0.7), condition(2), action())
        .as((priority, enabled, when, then) -> {
          JsonObject rule = new JsonObject().put("id", "r");
          if (priority != null) {
            rule.put("priority", priority);
          }
          if (enabled != null) {
            rule.put("enabled", enabled);
          }
          return rule.put("when", when).put("then", then);
        });
  }

  private static Arbitrary<JsonObject> condition(int depth) {
    List<Arbitrary<Map.Entry<String, Object>>> parts = new ArrayList<>(List.of(
        content().map(content -> Map.entry("content", content)),
        Arbitraries.of("alice", "bob", "shop").list().ofMinSize(1).ofMaxSize(3).map(ids -> Map.entry("from", list(ids))),
        Arbitraries.of(true, false).map(virtual -> Map.entry("fromVirtual", virtual)),
        Arbitraries.of("online", "busy", "away", "offline").list().ofMinSize(1).ofMaxSize(2)
            .map(statuses -> Map.entry("status", list(statuses))),
        Arbitraries.of("presenting", "driving").list().ofMinSize(1).ofMaxSize(2)
            .map(activities -> Map.entry("activity", list(activities))),
        time().map(time -> Map.entry("time", time)),
        Arbitraries.of("PT5M", "P1D", "PT30S").map(within -> Map.entry("conversation",
            new JsonObject().put("closingSentWithin", within)))));
    if (depth > 0) {
      parts.add(Arbitraries.lazy(() -> condition(depth - 1)).map(not -> Map.entry("not", not)));
      parts.add(Arbitraries.lazy(() -> condition(depth - 1)).list().ofMinSize(1).ofMaxSize(3)
          .map(any -> Map.entry("any", list(any))));
    }
    return Arbitraries.oneOf(parts).list().ofMaxSize(3).map(entries -> {
      JsonObject condition = new JsonObject();
      entries.forEach(entry -> condition.put(entry.getKey(), entry.getValue()));
      return condition;
    });
  }

  private static Arbitrary<JsonObject> content() {
    Arbitrary<JsonArray> keywords = Arbitraries.of("urgent", "call me", "Urgent", "#urgent", "紧急", "schön", "ok")
        .list().ofMinSize(1).ofMaxSize(3).map(RulesDocumentFuzzTest::list).injectNull(0.5);
    Arbitrary<String> regex = Arbitraries.of("(?i)order\\s*#?\\d{5,8}", "^re:", "(a+)+$", "[^c]{50}c", "\\bok\\b$")
        .injectNull(0.5);
    return Combinators.combine(keywords, regex, Arbitraries.of(true, false)).as((words, pattern, closing) -> {
      JsonObject content = new JsonObject();
      if (words != null) {
        content.put("keywords", words);
      }
      if (pattern != null) {
        content.put("regex", pattern);
      }
      if (closing) {
        content.put("class", "closing");
      }
      return content;
    });
  }

  private static Arbitrary<JsonObject> time() {
    Arbitrary<String> hhmm = Arbitraries.of("00:00", "07:00", "09:30", "17:00", "22:00", "23:59");
    Arbitrary<JsonArray> days = Arbitraries.of("mon", "tue", "wed", "thu", "fri", "sat", "sun").list().ofMinSize(1)
        .ofMaxSize(3).map(RulesDocumentFuzzTest::list);
    return Combinators.combine(hhmm, hhmm, days.injectNull(0.5)).as((from, to, dayList) -> {
      JsonObject time = new JsonObject();
      if (!from.equals(to)) {
        time.put("from", from).put("to", to);
      }
      if (dayList != null || time.isEmpty()) {
        time.put("days", dayList != null ? dayList : new JsonArray().add("sat"));
      }
      return time;
    });
  }

  private static Arbitrary<JsonObject> action() {
    Arbitrary<String> disposition = Arbitraries.of("deliver", "hold", "transcript", "drop");
    Arbitrary<String> notify = Arbitraries.of("popup", "silent", "none").injectNull(0.5);
    Arbitrary<String> autoReply = Arbitraries.of("Back at 7:00.", "😀", "x".repeat(2000)).injectNull(0.6);
    return Combinators.combine(disposition, notify, autoReply).as((what, level, reply) -> {
      JsonObject action = new JsonObject();
      if ("hold".equals(what)) {
        // A hold must be able to end; the condition need not read presence or time, so it has an upper bound.
        action.put(what, new JsonObject().put("until", "PT2H"));
      } else if (!"deliver".equals(what)) {
        action.put(what, true);
      }
      if (level != null && ("deliver".equals(what) || "hold".equals(what))) {
        action.put("notify", level);
      }
      if (reply != null) {
        action.put("autoReply", reply);
      }
      return action;
    });
  }

  private static Arbitrary<JsonObject> activation() {
    Arbitrary<JsonObject> on = Arbitraries.oneOf(
        content().injectNull(0.4).map(content -> content == null ? new JsonObject().put("event", "sent")
            : new JsonObject().put("event", "sent").put("content", content)),
        Arbitraries.of("online", "busy", "away").list().ofMinSize(1).ofMaxSize(2)
            .map(statuses -> new JsonObject().put("event", "status").put("status", list(statuses))),
        Arbitraries.just(new JsonObject().put("event", "closed")));
    return Combinators.combine(on, Arbitraries.of("PT10M", "PT1H", "P1D", "P3650D"))
        .as((trigger, duration) -> new JsonObject().put("id", "a").put("on", trigger).put("for", duration));
  }

  private static JsonArray list(List<?> items) {
    return new JsonArray(new ArrayList<>(items));
  }
}
