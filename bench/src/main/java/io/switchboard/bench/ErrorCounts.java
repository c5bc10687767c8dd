package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failures by what failed and why, e.g. {@code open:timeout}; safe to count from any thread. */
final class ErrorCounts {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void count(String what, Throwable failure) {
    count(what + ":" + ProtocolError.codeOf(failure));
  }

  void count(String key) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  void reset() {
    counts.values().forEach(LongAdder::reset);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(counts).forEach((key, count) -> {
      if (count.sum() > 0) {
        json.put(key, count.sum());
      }
    });
    return json;
  }
}
