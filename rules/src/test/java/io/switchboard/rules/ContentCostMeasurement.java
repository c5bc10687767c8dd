package io.switchboard.rules;

import java.util.Locale;

/**
 * Times the most expensive documents the limits allow on the largest message, reading the whole message (as
 * before the window) and reading the window. Figures, not a test: run it with
 * {@code mvn -q -pl rules test-compile exec:java -Dexec.mainClass=io.switchboard.rules.ContentCostMeasurement
 * -Dexec.classpathScope=test}.
 */
public final class ContentCostMeasurement {

  private static final long WARM_UP_NANOS = 1_000_000_000L;
  private static final int RUNS = 10;

  private ContentCostMeasurement() {
  }

  public static void main(String[] args) {
    System.out.printf("%-78s %7s %12s %12s%n", "document (body of " + WorstDocuments.LARGEST_BODY + " characters)",
        "window", "whole body", "window");
    for (WorstDocuments.Case worst : WorstDocuments.all()) {
      RulesDocument rules = worst.rules();
      System.out.printf(Locale.ROOT, "%-78s %7d %9.3f ms %9.3f ms%n", worst.name(), rules.contentWindow(),
          millis(rules, worst.body(), worst.body().length()), millis(rules, worst.body(), rules.contentWindow()));
    }
  }

  /** The best of a few runs, after warming up, of deciding the message with content conditions reading {@code window}. */
  private static double millis(RulesDocument rules, String body, int window) {
    IncomingMessage message = new IncomingMessage("bob", false, "c-1", body, false, 0);
    RecipientState recipient = RecipientState.of("online");
    long warm = System.nanoTime() + WARM_UP_NANOS;
    while (System.nanoTime() < warm) {
      decide(rules, message, recipient, window);
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      decide(rules, message, recipient, window);
      best = Math.min(best, System.nanoTime() - start);
    }
    return best / 1e6;
  }

  /** {@link RulesEngine#decide} with a window of choice. */
  private static boolean decide(RulesDocument rules, IncomingMessage message, RecipientState recipient, int window) {
    Facts facts = new Facts(message, new MessageText(message.body(), window), recipient, rules.timeZone());
    return rules.evaluationOrder().stream().anyMatch(rule -> rule.when().test(facts));
  }
}
