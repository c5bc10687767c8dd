package io.switchboard.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the clients of one chaos scenario went through, counted from every client's threads. */
final class ChaosStats {

  /** Examples kept of each kind of event worth reading (unanswered requests, failed logins, ended conversations). */
  private static final int EXAMPLES = 8;

  final AtomicInteger sends = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  /** Requests whose connection closed before an answer: the client knows, as a closed socket tells it. */
  final AtomicInteger lostWithConnection = new AtomicInteger();
  /** Answers that came after the client had given up on the request. */
  final AtomicInteger lateAnswers = new AtomicInteger();
  final AtomicInteger disconnects = new AtomicInteger();
  final AtomicInteger reconnects = new AtomicInteger();
  final AtomicInteger resumes = new AtomicInteger();
  private final Map<String, Integer> errors = new TreeMap<>();
  private final List<String> unanswered = new ArrayList<>();
  private int unansweredCount;
  private final Map<String, Integer> failedConnects = new TreeMap<>();
  private final List<String> ended = new ArrayList<>();
  private final Set<String> endedConversations = new HashSet<>();
  private long longestReconnectMillis;

  /** An error answer: counted by request type and code, e.g. {@code send store_unavailable}. */
  synchronized void error(String type, String code) {
    errors.merge(type + " " + code, 1, Integer::sum);
  }

  synchronized void unanswered(String description) {
    unansweredCount++;
    if (unanswered.size() < EXAMPLES) {
      unanswered.add(description);
    }
  }

  synchronized void failedConnect(String reason) {
    failedConnects.merge(reason, 1, Integer::sum);
  }

  /** The server ended a conversation under a client (a {@code closed} frame, or {@code gone} on a request). */
  synchronized void ended(String conversation, String description) {
    endedConversations.add(conversation);
    if (ended.size() < EXAMPLES) {
      ended.add(description);
    }
  }

  synchronized void reconnected(long millis) {
    reconnects.incrementAndGet();
    longestReconnectMillis = Math.max(longestReconnectMillis, millis);
  }

  synchronized Map<String, Integer> errors() {
    return new TreeMap<>(errors);
  }

  synchronized int unansweredCount() {
    return unansweredCount;
  }

  synchronized List<String> unansweredExamples() {
    return List.copyOf(unanswered);
  }

  synchronized Map<String, Integer> failedConnects() {
    return new TreeMap<>(failedConnects);
  }

  /** Conversations ended under a client, each counted once whichever side noticed. */
  synchronized int endedCount() {
    return endedConversations.size();
  }

  synchronized List<String> endedExamples() {
    return List.copyOf(ended);
  }

  synchronized long longestReconnectMillis() {
    return longestReconnectMillis;
  }
}
