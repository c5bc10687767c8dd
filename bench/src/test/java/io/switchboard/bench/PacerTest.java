package io.switchboard.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paced schedule on a made-up clock: 1,000 messages a second, a tick every 5 ms. */
class PacerTest {

  private static final long MS = 1_000_000;
  private static final long START = 7 * MS;
  private static final int RATE = 1000;
  private static final Duration MAX_BURST = Duration.ofMillis(20);

  private final Pacer pacer = new Pacer(RATE, START, MAX_BURST);

  /** A tick at {@code atMs} after the start that sends all it may, or nothing when no window has room. */
  private List<Long> tick(long atMs, boolean room) {
    List<Long> scheduled = new ArrayList<>();
    int sendable = pacer.sendable(START + atMs * MS);
    for (int i = 0; room && i < sendable; i++) {
      scheduled.add(pacer.take());
    }
    pacer.endTick();
    return scheduled;
  }

  private static long ms(long scheduled) {
    return (scheduled - START) / MS;
  }

  @Test
  void onScheduleEveryMessageGoesOutAtItsTimeAndNoEarlier() {
    List<Long> all = new ArrayList<>();
    for (long at = 5; at <= 100; at += 5) {
      long now = START + at * MS;
      List<Long> sent = tick(at, true);
      sent.forEach(scheduled -> assertTrue(scheduled <= now, "nothing goes out before it is due"));
      all.addAll(sent);
    }
    // Messages 0…100 are due at 0 ms…100 ms: all sent, in order, each with its own time.
    assertEquals(101, all.size());
    for (int k = 0; k < all.size(); k++) {
      assertEquals(k, ms(all.get(k)));
    }
    assertEquals(0, pacer.behindNanos(START + 100 * MS));
  }

  @Test
  void afterFallingBehindItNeverSendsFasterAndLatencyCountsFromTheSchedule() {
    for (long at = 5; at <= 20; at += 5) {
      tick(at, true);
    }
    // No window has room for 100 ms (the node is slow to ack): nothing goes out, and the schedule falls behind.
    for (long at = 25; at <= 120; at += 5) {
      assertEquals(List.of(), tick(at, false));
    }
    // The next message, due at 21 ms, is 99 ms late.
    assertEquals(99, pacer.behindNanos(START + 120 * MS) / MS);
    // Room again: each tick sends what the rate allows for 5 ms (plus at most one carried), never the backlog.
    List<Long> after = new ArrayList<>();
    for (long at = 125; at <= 300; at += 5) {
      List<Long> sent = tick(at, true);
      assertTrue(sent.size() <= 6, "at most one tick's worth: " + sent.size() + " at " + at + " ms");
      after.addAll(sent);
    }
    // The first message sent late is the oldest one due, with the time it was scheduled for: 21 ms, sent at 125 ms,
    // so its latency includes the 104 ms it waited.
    assertEquals(21, ms(after.get(0)));
    for (int i = 1; i < after.size(); i++) {
      assertEquals(ms(after.get(i - 1)) + 1, ms(after.get(i)), "in schedule order, none skipped");
    }
    // 180 ms at 1,000/s: 180 messages (± the one carried), and the lag stays: it is not caught up.
    assertTrue(Math.abs(after.size() - 180) <= 1, "sent " + after.size());
    long behindMs = pacer.behindNanos(START + 300 * MS) / MS;
    assertTrue(behindMs >= 97 && behindMs <= 100, "still behind by the 100 ms: " + behindMs);
  }

  @Test
  void aLateTickSendsWhatItsTimeAllowsButNeverMoreThanTheBurstBound() {
    tick(5, true);
    // 15 ms late: 20 ms of the rate, all of it due, so the schedule is kept.
    assertEquals(20, tick(25, true).size());
    assertEquals(0, pacer.behindNanos(START + 25 * MS));
    // 200 ms late (the bench itself stalled): at most 20 ms of the rate go out at once.
    List<Long> burst = tick(225, true);
    assertEquals(20, burst.size());
    assertTrue(pacer.behindNanos(START + 225 * MS) / MS >= 179, "the rest stays behind");
  }

  @Test
  void aRateBelowOneATickCarriesItsFraction() {
    Pacer slow = new Pacer(50, START, MAX_BURST);
    int sent = 0;
    for (long at = 5; at <= 1000; at += 5) {
      int sendable = slow.sendable(START + at * MS);
      for (int i = 0; i < sendable; i++) {
        slow.take();
        sent++;
      }
      slow.endTick();
    }
    // 50/s for 1 s: messages due at 0, 20, …, 1000 ms.
    assertEquals(51, sent);
    assertThrows(IllegalArgumentException.class, () -> new Pacer(0, START, MAX_BURST));
  }
}
