package io.switchboard.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between connection attempts: from {@code initial}, growing by {@code factor} up to {@code max}, with a
 * random half of each delay as jitter so that clients cut off together do not come back together.
 */
public record Backoff(Duration initial, Duration max, double factor) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2);

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0 || factor < 1) {
      throw new IllegalArgumentException("a backoff needs 0 <= initial <= max and a factor of at least 1");
    }
  }

  /** The delay in ms before retry number {@code attempt} (0 for the first). */
  public long delay(int attempt, DoubleSupplier random) {
    double ceiling = Math.min(max.toMillis(), initial.toMillis() * Math.pow(factor, Math.min(attempt, 64)));
    return Math.round(ceiling / 2 + random.getAsDouble() * ceiling / 2);
  }

  /** The delay after a {@code shutdown} frame: from {@code retryAfter} to twice it, to spread the reconnects. */
  public static long afterShutdown(long retryAfter, DoubleSupplier random) {
    long base = Math.max(0, retryAfter);
    return Math.round(base + random.getAsDouble() * base);
  }
}
