package io.switchboard.admin;

import io.switchboard.store.DirectoryStore;
import io.switchboard.store.QueueStore;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live views of one node ({@code GET /api/v1/virtual-users/{id}/live}, docs/ADMIN-API.md), shared by every
 * gateway verticle that serves the admin API: the stores they read, at most {@code maxClients} at once, and what
 * crossing a bound cost.
 */
public final class LiveViews {

  /** Live views one node serves at once by default; one more gets 503. */
  public static final int DEFAULT_MAX_CLIENTS = 32;
  /** The longest a live view stays silent: proxies commonly close a response silent for a minute. */
  public static final Duration MAX_KEEPALIVE = Duration.ofSeconds(15);

  final DirectoryStore directory;
  final QueueStore queues;
  /** How often a live view sends a comment when nothing happens. */
  final Duration keepalive;
  private final int maxClients;
  private final AtomicInteger clients = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /**
   * @param keepalive how often a live view with nothing to say sends a comment: more often than the HTTP server
   *                  closes connections that write nothing (three heartbeats)
   */
  public LiveViews(DirectoryStore directory, QueueStore queues, Duration keepalive, int maxClients) {
    this.directory = directory;
    this.queues = queues;
    this.keepalive = keepalive;
    this.maxClients = maxClients;
  }

  public int maxClients() {
    return maxClients;
  }

  /** Live views open now. */
  public int clients() {
    return clients.get();
  }

  /** Live views refused because {@link #maxClients} were open. */
  public long refused() {
    return refused.sum();
  }

  /** Live views closed because their client did not read what it was sent (the write queue was full). */
  public long dropped() {
    return dropped.sum();
  }

  /** Takes a place for a new live view, or counts a refusal when none is left. */
  boolean admit() {
    int now = clients.incrementAndGet();
    if (now > maxClients) {
      clients.decrementAndGet();
      refused.increment();
      return false;
    }
    return true;
  }

  void leave() {
    clients.decrementAndGet();
  }

  void drop() {
    dropped.increment();
  }
}
