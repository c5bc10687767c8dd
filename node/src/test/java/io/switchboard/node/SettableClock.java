package io.switchboard.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test sets: it runs at the pace of the wall clock from the instant it was set to, and a test moves it
 * ahead instead of waiting (business hours begin when the test says so).
 */
final class SettableClock extends Clock {

  private volatile long offsetMillis;

  SettableClock(Instant now) {
    set(now);
  }

  void set(Instant now) {
    offsetMillis = now.toEpochMilli() - System.currentTimeMillis();
  }

  void advance(Duration by) {
    offsetMillis += by.toMillis();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMillis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock is in UTC");
  }
}
