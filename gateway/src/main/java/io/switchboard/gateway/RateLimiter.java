package io.switchboard.gateway;

/** A token bucket: {@code perSecond} frames a second on average, bursts of up to one second's worth. */
final class RateLimiter {

  private final double perMilli;
  private final double capacity;
  private double tokens;
  private long refilledAt;

  RateLimiter(int perSecond, long now) {
    this.perMilli = perSecond / 1000.0;
    this.capacity = perSecond;
    this.tokens = perSecond;
    this.refilledAt = now;
  }

  boolean tryAcquire(long now) {
    if (now > refilledAt) {
      tokens = Math.min(capacity, tokens + (now - refilledAt) * perMilli);
      refilledAt = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
