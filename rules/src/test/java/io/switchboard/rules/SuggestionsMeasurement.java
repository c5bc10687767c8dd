package io.switchboard.rules;

import io.switchboard.rules.Suggestions.Feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Times the adaptive manager on the most a user may have kept (docs/RULES.md § "Suggestions"): 500 feedback of 16
 * words each, all different words but a few, and 1,000 observations in one conversation (the most answers to pair).
 * It runs on an event loop for each {@code get-suggestions} and twice for each {@code feedback}. Figures, not a test:
 * run it with {@code mvn -q -pl rules test-compile exec:java
 * -Dexec.mainClass=io.switchboard.rules.SuggestionsMeasurement -Dexec.classpathScope=test}.
 */
public final class SuggestionsMeasurement {

  private static final long WARM_UP_NANOS = 1_000_000_000L;
  private static final int RUNS = 200;
  private static final long T0 = 1_767_000_000_000L;

  private SuggestionsMeasurement() {
  }

  public static void main(String[] args) {
    List<Feedback> feedback = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < Suggestions.MAX_WORDS; w++) {
        words.add(w < 3 ? "common" + w : "word" + i + "x" + w);
      }
      feedback.add(new Feedback("sender" + i % 50, false, words, Suggestions.WISHES.get(i % 4), T0 + i * 60_000L));
    }
    List<Observation> observations = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      boolean sent = i % 2 == 1;
      observations.add(new Observation(sent, "c-1", i, sent ? null : "sender" + i % 50, false, T0 + i * 30_000L,
          i % 4 < 2 ? "busy" : "online", null));
    }
    long warm = System.nanoTime() + WARM_UP_NANOS;
    while (System.nanoTime() < warm) {
      suggest(feedback, observations);
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      suggest(feedback, observations);
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf(Locale.ROOT, "500 feedback of 16 words, 1,000 observations in one conversation: %.3f ms%n",
        best / 1e6);
  }

  private static List<Suggestions.Suggestion> suggest(List<Feedback> feedback, List<Observation> observations) {
    return Suggestions.of("abc", RulesDocument.EMPTY, RulesDocument.SHIPPED_DEFAULTS, feedback, observations,
        Set.of(), T0 + 30L * 86_400_000L);
  }
}
