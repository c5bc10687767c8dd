package io.switchboard.rules;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** Documents, messages and recipients for the tests; JSON is written with ' for " to stay readable. */
final class Fixtures {

  /** Friday 17 January 2025, 11:00 in Berlin (UTC+1 in winter). */
  static final long NOW = Instant.parse("2025-01-17T10:00:00Z").toEpochMilli();
  static final long MINUTE = 60_000;

  private Fixtures() {
  }

  static JsonObject json(String relaxed) {
    return new JsonObject(relaxed.replace('\'', '"'));
  }

  static RulesDocument rules(String relaxed) {
    return RulesDocument.fromJson(json(relaxed));
  }

  /** A document with one rule, {@code r}, of this condition and action. */
  static RulesDocument rule(String when, String then) {
    return rules("{'rules': [{'id': 'r', 'when': " + when + ", 'then': " + then + "}]}");
  }

  /** From bob, a common user, in conversation c-1, at {@link #NOW}. */
  static IncomingMessage message(String body) {
    return message(body, NOW);
  }

  static IncomingMessage message(String body, long at) {
    return new IncomingMessage("bob", false, "c-1", body, false, at);
  }

  static RecipientState online() {
    return RecipientState.of("online");
  }

  /** Whether the one rule of {@link #rule}, with this condition, decides the message for the recipient. */
  static boolean holds(String when, IncomingMessage message, RecipientState recipient) {
    return RulesEngine.decide(rule(when, "{}"), message, recipient).rule() != null;
  }

  static boolean holds(String when, String body) {
    return holds(when, message(body), online());
  }
}
