package io.switchboard.node;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, which a test can stop at an instant (so that "now" is exactly known) and start again. */
final class StoppableClock extends Clock {

  private volatile Instant stoppedAt;

  /** Stops the clock at the current instant and returns it. */
  Instant stop() {
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    stoppedAt = now;
    return now;
  }

  /** Stops the clock at {@code at}, e.g. another day of a scripted user. */
  void stopAt(Instant at) {
    stoppedAt = at;
  }

  void restart() {
    stoppedAt = null;
  }

  @Override
  public Instant instant() {
    Instant stopped = stoppedAt;
    return stopped != null ? stopped : Instant.now();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the node reads UTC milliseconds only");
  }
}
