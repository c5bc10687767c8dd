package io.switchboard.store.memory;

import io.switchboard.directory.QueuePolicy;
import io.switchboard.store.QueueChange;
import io.switchboard.store.QueueEntry;
import io.switchboard.store.QueueStore;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The embedded store's queues: per virtual user, entries in priority-then-arrival order. */
final class InMemoryQueues implements QueueStore {

  private static final Comparator<QueueEntry> ORDER =
      Comparator.comparingInt(QueueEntry::priority).reversed().thenComparingLong(QueueEntry::arrival);

  private final InMemoryData data;
  private final Map<String, Queue> queues = new HashMap<>();

  /** One virtual user's queue. */
  private static final class Queue {
    final TreeSet<QueueEntry> order = new TreeSet<>(ORDER);
    final Map<String, QueueEntry> byKey = new HashMap<>();
    final Deque<Long> handling = new ArrayDeque<>();
    /** Entries taken out to be offered, by key, with the node whose router took them. */
    final Map<String, Map.Entry<String, QueueEntry>> offered = new HashMap<>();
    long arrivals;

    int positionOf(QueueEntry entry) {
      return order.headSet(entry, false).size() + 1;
    }

    /** The entries after {@code entry} (which may have left), with their positions. */
    List<QueueChange.Waiting> after(QueueEntry entry) {
      List<QueueChange.Waiting> moved = new ArrayList<>();
      int position = order.headSet(entry, true).size();
      for (QueueEntry behind : order.tailSet(entry, false)) {
        moved.add(new QueueChange.Waiting(behind, ++position));
      }
      return moved;
    }

    Long meanHandling() {
      return handling.isEmpty() ? null
          : Math.round(handling.stream().mapToLong(Long::longValue).average().orElseThrow());
    }
  }

  InMemoryQueues(InMemoryData data) {
    this.data = data;
  }

  /** How many opens wait for {@code destination} (not those taken out to be offered); call it under the data's lock. */
  int waitingFor(String destination) {
    Queue queue = queues.get(destination);
    return queue == null ? 0 : queue.order.size();
  }

  private Queue queue(String destination) {
    return queues.computeIfAbsent(destination, k -> new Queue());
  }

  @Override
  public Future<QueueChange> enqueue(QueueEntry entry, QueuePolicy policy) {
    return data.atomically(() -> {
      Queue queue = queue(entry.destination());
      queue.offered.remove(entry.key());
      QueueEntry waiting = queue.byKey.get(entry.key());
      if (waiting != null) {
        return new QueueChange(waiting, queue.positionOf(waiting), List.of(), queue.meanHandling());
      }
      if (!policy.admits(queue.order.size(), entry.priority())) {
        return QueueChange.none(queue.meanHandling());
      }
      QueueEntry added = entry.arrival() > 0 ? entry : entry.withArrival(++queue.arrivals);
      queue.order.add(added);
      queue.byKey.put(added.key(), added);
      return new QueueChange(added, queue.positionOf(added), queue.after(added), queue.meanHandling());
    });
  }

  @Override
  public Future<QueueChange> take(String destination, String key, String node) {
    return data.atomically(() -> {
      QueueChange change = takeOut(queue(destination), key);
      if (change.changed()) {
        queue(destination).offered.put(key, Map.entry(node, change.entry()));
      }
      return change;
    });
  }

  @Override
  public Future<QueueChange> remove(String destination, String key) {
    return data.atomically(() -> {
      Queue queue = queue(destination);
      queue.offered.remove(key);
      return takeOut(queue, key);
    });
  }

  private static QueueChange takeOut(Queue queue, String key) {
    QueueEntry entry = queue.byKey.remove(key);
    if (entry == null) {
      return QueueChange.none(queue.meanHandling());
    }
    queue.order.remove(entry);
    return new QueueChange(entry, 0, queue.after(entry), queue.meanHandling());
  }

  @Override
  public Future<Integer> returnOffered(String destination, String node) {
    return data.atomically(() -> {
      Queue queue = queue(destination);
      List<QueueEntry> back = queue.offered.values().stream().filter(offered -> offered.getKey().equals(node))
          .map(Map.Entry::getValue).toList();
      for (QueueEntry entry : back) {
        queue.offered.remove(entry.key());
        queue.order.add(entry);
        queue.byKey.put(entry.key(), entry);
      }
      return back.size();
    });
  }

  @Override
  public Future<Void> recordHandling(String destination, long millis) {
    return data.atomically(() -> {
      Deque<Long> handling = queue(destination).handling;
      handling.addFirst(millis);
      while (handling.size() > HANDLING_SAMPLES) {
        handling.removeLast();
      }
      return null;
    });
  }

  @Override
  public Future<List<QueueEntry>> waiting(String destination, int limit) {
    return data.atomically(() -> {
      Queue queue = queues.get(destination);
      return queue == null ? List.of() : queue.order.stream().limit(limit).toList();
    });
  }
}
