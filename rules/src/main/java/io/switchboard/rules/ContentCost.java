package io.switchboard.rules;

/**
 * Bounds the work content conditions do per message (docs/RULES.md, Limits). Rules are decided on an event loop,
 * for every message a user receives, and a message may be 64 KiB: matching all of it against the largest regexes
 * a document may hold took about 0.1 to 0.25 s. So keywords and regexes read only the first characters of a
 * message, its <em>window</em>: {@value #MAX_WINDOW} characters, fewer when a document's keywords and regexes
 * together cost more per character than {@value #BUDGET} / {@value #MAX_WINDOW}.
 *
 * <p>Costs are in regex units per character read ({@link RegexSize}; one unit of a repeated class is about 8 ns
 * per character of RE2/J's search): a regex costs its size plus {@value #REGEX_BASE} (each search steps its
 * start state along the text), a keyword {@value #KEYWORD} (at worst it is found at every place, and each place
 * is checked for word boundaries). {@value #BUDGET} units × characters is about 1 ms.
 */
final class ContentCost {

  /** The most characters of a message keywords and regexes read. */
  static final int MAX_WINDOW = 4096;
  /** Regex units × characters one message may cost a document: about 1 ms. */
  static final long BUDGET = 100_000;
  static final int REGEX_BASE = 2;
  static final int KEYWORD = 1;

  private ContentCost() {
  }

  static long regex(long size) {
    return size + REGEX_BASE;
  }

  static long keywords(int count) {
    return (long) count * KEYWORD;
  }

  /** The characters read by content conditions that together cost {@code cost} per character; at least 1. */
  static int window(long cost) {
    return (int) Math.max(1, Math.min(MAX_WINDOW, BUDGET / Math.max(1, cost)));
  }
}
