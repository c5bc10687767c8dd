package io.switchboard.bench;

import java.time.Duration;

/**
 * The send schedule of a paced run: message k (from 0) is due at {@code start + k / rate}. At each tick the sender
 * asks how many may go out ({@link #sendable}), sends up to that many to sides with room in their window, taking each
 * one's scheduled time ({@link #take}), and ends the tick ({@link #endTick}).
 *
 * <p>A sender the node held back never sends faster than the rate to catch up: a tick may send what the rate allows
 * for the time since the previous tick (up to {@code maxBurst} of it, for a tick the sender itself made late), and
 * what it could not send because no side had room in its window is not saved for later. The messages it sends late
 * keep their scheduled times, so latency counts from the schedule and includes the wait: a node that makes the
 * bench fall behind shows it in the latency instead of hiding it (coordinated omission). Not thread-safe: one
 * sender, one thread.
 */
final class Pacer {

  private static final double NANOS_PER_SECOND = 1e9;

  private final int rate;
  private final long start;
  private final double maxCredit;
  private long lastTick;
  /** Messages the rate allows now; a fraction carries over to the next tick. */
  private double credit;
  /** The number of the next message to send. */
  private long next;

  Pacer(int rate, long start, Duration maxBurst) {
    if (rate < 1) {
      throw new IllegalArgumentException("a paced run needs a rate of at least 1, not " + rate);
    }
    this.rate = rate;
    this.start = start;
    // At least two: at a rate below one message a tick, the credit must pass 1 for each message to go out on time.
    this.maxCredit = Math.max(2, rate * (maxBurst.toNanos() / NANOS_PER_SECOND));
    this.lastTick = start;
    // The first message is due at the start.
    this.credit = 1;
  }

  /** A tick at {@code now}: how many messages may go out, at most those due and at most what the rate allows. */
  int sendable(long now) {
    credit = Math.min(maxCredit, credit + Math.max(0, now - lastTick) * rate / NANOS_PER_SECOND);
    lastTick = Math.max(lastTick, now);
    long due = dueBy(now) - next;
    return (int) Math.max(0, Math.min(due, (long) credit));
  }

  /** The next message goes out: returns its scheduled time (nanoTime), from which its latency counts. */
  long take() {
    credit -= 1;
    return scheduled(next++);
  }

  /** The tick is over: what no side had room for is not kept, so a sender that fell behind does not burst. */
  void endTick() {
    credit = Math.min(credit, 1);
  }

  /** When message {@code k} is due. */
  long scheduled(long k) {
    return start + Math.round(k * NANOS_PER_SECOND / rate);
  }

  /** How many messages are due by {@code now}. */
  long dueBy(long now) {
    return now < start ? 0 : (long) Math.floor((now - start) * (double) rate / NANOS_PER_SECOND) + 1;
  }

  /** How many were sent. */
  long sent() {
    return next;
  }

  /** How late the next message is at {@code now}: 0 while on schedule. */
  long behindNanos(long now) {
    return Math.max(0, now - scheduled(next));
  }
}
