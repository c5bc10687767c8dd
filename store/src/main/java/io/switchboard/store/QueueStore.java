package io.switchboard.store;

import io.switchboard.directory.QueuePolicy;
import io.vertx.core.Future;

import java.util.List;

/**
 * The queues of virtual users (docs/POLICY.md § Queue), shared by every node: opens that found no member wait here,
 * ordered by priority (higher first), then arrival. Each method is one atomic step, so one node alone takes an
 * entry out: whoever {@link #remove}s it serves it (or cancels it, or times it out).
 */
public interface QueueStore {

  /** How many handling times the estimate averages, per virtual user. */
  int HANDLING_SAMPLES = 20;

  /**
   * Adds {@code entry} to its destination's queue if {@code policy} admits it with as many opens waiting (an entry
   * with an arrival keeps its place). Answers the entry and its position, with the entries now behind it; nothing
   * added when the queue is full. An entry already waiting is left as it is and answered with its position. An entry
   * that comes back after an offer fell through is no longer kept aside.
   */
  Future<QueueChange> enqueue(QueueEntry entry, QueuePolicy policy);

  /**
   * Takes the entry {@code key} out of the queue of {@code destination} for the router of {@code node} to offer: answers
   * it with the entries that moved up, or {@link QueueChange#none} when it no longer waits (another node took it).
   * The store keeps it aside until {@link #remove} settles it or {@link #returnOffered} puts it back.
   */
  Future<QueueChange> take(String destination, String key, String node);

  /**
   * The entry {@code key} is over (opened, cancelled, timed out, failed): out of the queue of {@code destination},
   * answered with the entries that moved up, or {@link QueueChange#none} when it was not waiting (then it is only
   * forgotten where {@link #take} kept it aside).
   */
  Future<QueueChange> remove(String destination, String key);

  /**
   * Puts back in their places the entries the router of {@code node} took out and did not settle (that node is
   * gone); answers how many.
   */
  Future<Integer> returnOffered(String destination, String node);

  /** Remembers how long a conversation with {@code destination} lasted (the newest {@link #HANDLING_SAMPLES}). */
  Future<Void> recordHandling(String destination, long millis);

  /** The entries waiting for {@code destination}, head first, at most {@code limit}. */
  Future<List<QueueEntry>> waiting(String destination, int limit);
}
