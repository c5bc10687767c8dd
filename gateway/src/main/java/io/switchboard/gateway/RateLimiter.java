package io.switchboard.gateway;

/** A token bucket: {@code perSecond} a second on average, bursts of up to one second's worth (or {@code burst}). */
final class RateLimiter {

  private final double perMilli;
  private final double capacity;
  private double tokens;
  private long refilledAt;

  RateLimiter(int perSecond, long now) {
    this(perSecond, perSecond, now);
  }

  /** {@code perSecond} on average, bursts of up to {@code burst}. */
  RateLimiter(double perSecond, int burst, long now) {
    this.perMilli = perSecond / 1000.0;
    this.capacity = burst;
    this.tokens = burst;
    this.refilledAt = now;
  }

  boolean tryAcquire(long now) {
    return tryAcquire(1, now);
  }

  /** Takes {@code count} tokens at once, or none when there are fewer. */
  boolean tryAcquire(int count, long now) {
    if (now > refilledAt) {
      tokens = Math.min(capacity, tokens + (now - refilledAt) * perMilli);
      refilledAt = now;
    }
    if (tokens >= count) {
      tokens -= count;
      return true;
    }
    return false;
  }
}
