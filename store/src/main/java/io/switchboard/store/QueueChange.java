package io.switchboard.store;

import java.util.List;

/**
 * What one step on a queue did: the {@code entry} it added or took out (null when it changed nothing: refused, or
 * no longer there), the entry's {@code position} from 1 when it was added, the entries whose position it changed,
 * and the mean of the queue's recent handling times in ms (null before any), for the estimated waits.
 */
public record QueueChange(QueueEntry entry, int position, List<Waiting> moved, Long meanHandling) {

  /** An entry and its position in the queue, from 1. */
  public record Waiting(QueueEntry entry, int position) {
  }

  public QueueChange {
    moved = List.copyOf(moved);
  }

  public static QueueChange none(Long meanHandling) {
    return new QueueChange(null, 0, List.of(), meanHandling);
  }

  public boolean changed() {
    return entry != null;
  }
}
