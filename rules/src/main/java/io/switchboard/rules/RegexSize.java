package io.switchboard.rules;

/**
 * An upper estimate of the size of the program RE2/J compiles a pattern to, read before compiling it.
 *
 * <p>RE2/J matches in time linear in the input, but the factor is the program's size, and a counted repetition
 * copies its operand: {@code ((a{1000}){1000}){1000}} compiles to a billion instructions and exhausts the heap,
 * and {@code [ab]{1000}} already takes most of a second on a 64 KiB message. So the engine refuses patterns by
 * this estimate before compiling them. It is a scan, not a parser: it over-counts rather than under-counts (group
 * syntax and escapes count as characters), never fails on a malformed pattern (RE2/J reports those afterwards),
 * and runs in time linear in the pattern.
 */
final class RegexSize {

  /** Above this an estimate stops growing; far above any budget, and safe from overflow when multiplied. */
  private static final long CEILING = 1_000_000_000L;
  private static final int MAX_COUNT = 1_000_000;

  private final String pattern;
  private int at;

  private RegexSize(String pattern) {
    this.pattern = pattern;
  }

  /** Roughly one unit per literal, class or operator; a counted repetition multiplies its operand by its maximum. */
  static long of(String pattern) {
    RegexSize scan = new RegexSize(pattern);
    long size = 0;
    while (scan.at < pattern.length()) {
      size = Math.min(CEILING, size + scan.sequence());
      scan.at++; // an unbalanced ')': RE2/J refuses the pattern; keep counting what follows
    }
    return size;
  }

  /** Items up to the ')' that closes the current group, or the end; alternatives add up. */
  private long sequence() {
    long size = 0;
    while (at < pattern.length() && pattern.charAt(at) != ')') {
      size = Math.min(CEILING, size + repeated(atom()));
    }
    return size;
  }

  private long atom() {
    char c = pattern.charAt(at++);
    if (c == '(') {
      long inner = sequence();
      at++; // past ')'
      return inner + 1;
    }
    if (c == '[') {
      skipClass();
      return 1;
    }
    if (c == '\\') {
      return escape();
    }
    return 1;
  }

  /** Applies the quantifiers that follow an operand of {@code size}. */
  private long repeated(long size) {
    while (at < pattern.length()) {
      char c = pattern.charAt(at);
      if (c == '*' || c == '+' || c == '?') {
        at++;
        size = Math.min(CEILING, size + 1);
      } else if (c == '{') {
        long copies = copies();
        if (copies == 0) {
          return size;
        }
        size = Math.min(CEILING, size * copies);
      } else {
        return size;
      }
    }
    return size;
  }

  /**
   * Reads {@code {n}}, {@code {n,}} or {@code {n,m}} at the current position and moves past it: the largest
   * number of copies it makes, at least 1. Anything else is a literal '{': 0, and the position stays.
   */
  private long copies() {
    int end = pattern.indexOf('}', at);
    String body = end < 0 ? "" : pattern.substring(at + 1, end);
    if (!body.matches("\\d{1,7}(,\\d{0,7})?")) {
      return 0;
    }
    String[] bounds = body.split(",", -1);
    String largest = bounds.length == 2 && !bounds[1].isEmpty() ? bounds[1] : bounds[0];
    // {n,} copies its operand n times and adds a star: one more copy
    int extra = bounds.length == 2 && bounds[1].isEmpty() ? 1 : 0;
    at = end + 1;
    return Math.max(1, Math.min(MAX_COUNT, Integer.parseInt(largest)) + extra);
  }

  /** Moves past a character class; nested POSIX classes like {@code [[:alpha:]]} and escapes included. */
  private void skipClass() {
    if (at < pattern.length() && pattern.charAt(at) == '^') {
      at++;
    }
    if (at < pattern.length() && pattern.charAt(at) == ']') {
      at++; // a leading ']' is a member, not the end
    }
    while (at < pattern.length()) {
      char c = pattern.charAt(at++);
      if (c == '\\') {
        at++;
      } else if (c == '[' && at < pattern.length() && pattern.charAt(at) == ':') {
        int end = pattern.indexOf(":]", at);
        at = end < 0 ? pattern.length() : end + 2;
      } else if (c == ']') {
        return;
      }
    }
  }

  /** Moves past an escape; {@code \Q…\E} quotes a literal that counts one unit per character. */
  private long escape() {
    if (at >= pattern.length()) {
      return 1;
    }
    char c = pattern.charAt(at++);
    if (c == 'Q') {
      int end = pattern.indexOf("\\E", at);
      int stop = end < 0 ? pattern.length() : end;
      long size = Math.max(1, stop - at);
      at = end < 0 ? stop : end + 2;
      return size;
    }
    if ((c == 'p' || c == 'P' || c == 'x') && at < pattern.length() && pattern.charAt(at) == '{') {
      int end = pattern.indexOf('}', at);
      at = end < 0 ? pattern.length() : end + 1;
    }
    return 1;
  }
}
