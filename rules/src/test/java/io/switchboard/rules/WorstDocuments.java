package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The most expensive documents the limits allow, by kind, with the message each costs the most on: the cases
 * {@link ContentCostTest} checks and {@link ContentCostMeasurement} times.
 */
final class WorstDocuments {

  /** The most characters a body can have in a 64 KiB frame: {@code {"type":"send","conversation":…,"body":"…"}}. */
  static final int LARGEST_BODY = 65_450;

  record Case(String name, RulesDocument rules, String body) {
  }

  private WorstDocuments() {
  }

  static List<Case> all() {
    String as = "a".repeat(LARGEST_BODY);
    String cs = "c".repeat(LARGEST_BODY);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("one regex of 200 units: [^c]{199}c", document(condition(regex("[^c]{199}c"))), as));
    cases.add(new Case("200 regexes of 1 unit: [^c]", document(anyOf(200, i -> regex("[^c]"))), cs));
    cases.add(new Case("100 regexes of 2 units: [^c]c", document(anyOf(100, i -> regex("[^c]c"))), as));
    cases.add(new Case("2,000 keywords \"a\"", document(condition(keywords(repeat("a", 2000)))), as));
    cases.add(new Case("62 keywords a, aa, aaa, …", document(condition(keywords(runsOfA()))), as));
    cases.add(new Case("909 keywords of 1-3 letters, letters without spaces",
        document(condition(keywords(shortWords()))), randomLetters()));
    cases.add(new Case("100 regexes [^c]c and 909 short keywords", document(anyOf(101,
        i -> i == 100 ? keywords(shortWords()) : regex("[^c]c"))), as));
    cases.add(new Case("the most a document may cost: 200 regexes [^c], 2,000 keywords of 1 character",
        document(anyOf(201, i -> i == 200 ? keywords(ideographs(2000)) : regex("[^c]"))), cs));
    return cases;
  }

  /** Distinct one-character keywords: CJK ideographs from U+4E00. */
  private static List<String> ideographs(int count) {
    List<String> keywords = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keywords.add(String.valueOf((char) (0x4E00 + i)));
    }
    return keywords;
  }

  static RulesDocument document(JsonObject when) {
    return RulesDocument.fromJson(new JsonObject().put("rules", new JsonArray()
        .add(new JsonObject().put("id", "r").put("when", when).put("then", new JsonObject().put("drop", true)))));
  }

  private static JsonObject condition(JsonObject content) {
    return new JsonObject().put("content", content);
  }

  private static JsonObject anyOf(int count, java.util.function.IntFunction<JsonObject> content) {
    JsonArray any = new JsonArray();
    for (int i = 0; i < count; i++) {
      any.add(condition(content.apply(i)));
    }
    return new JsonObject().put("any", any);
  }

  private static JsonObject regex(String pattern) {
    return new JsonObject().put("regex", pattern);
  }

  private static JsonObject keywords(List<String> keywords) {
    return new JsonObject().put("keywords", new JsonArray(new ArrayList<>(keywords)));
  }

  private static List<String> repeat(String keyword, int count) {
    return java.util.Collections.nCopies(count, keyword);
  }

  /** a, aa, … as many as 2,000 characters allow: each is found at every place of "aaa…" and never whole. */
  private static List<String> runsOfA() {
    List<String> runs = new ArrayList<>();
    for (int length = 1, total = 1; total <= 2000; length++, total += length + 1) {
      runs.add("a".repeat(length));
    }
    return runs;
  }

  /** Every word of one and two letters, then three-letter words up to 2,000 characters in all. */
  private static List<String> shortWords() {
    List<String> words = new ArrayList<>();
    int total = 0;
    for (char a = 'a'; a <= 'z'; a++) {
      words.add("" + a);
      total++;
    }
    for (char a = 'a'; a <= 'z'; a++) {
      for (char b = 'a'; b <= 'z'; b++) {
        words.add("" + a + b);
        total += 2;
      }
    }
    for (char a = 'a'; total + 3 <= 2000; a++) {
      for (char b = 'a'; b <= 'z' && total + 3 <= 2000; b++) {
        words.add("" + a + b + 'a');
        total += 3;
      }
    }
    return words;
  }

  /** One long word: every short keyword occurs in it, none as a whole word. */
  private static String randomLetters() {
    Random random = new Random(1);
    StringBuilder text = new StringBuilder(LARGEST_BODY);
    while (text.length() < LARGEST_BODY) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }
}
