package io.switchboard.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of one conversation under chaos: what the sender got an {@code ack} for and what the receiver
 * got as {@code message} frames, by {@code seq}. Written from the sender's and the receiver's receiving threads.
 */
final class ChaosLedger {

  /** A message the sender got an ack for: its body and when its {@code send} left the client. */
  private record Acked(String body, long sentNanos) {
  }

  /** The figures of one direction, once the load has stopped. */
  record Figures(int acked, int delivered, int duplicates, List<Long> missing, int mismatched, int outOfOrder,
                 List<String> outOfOrderExamples, int deliveredUnacked, long firstDeliveryAfterFaultNanos) {
  }

  final String conversation;
  final String sender;
  final String receiver;
  private final TreeMap<Long, Acked> acked = new TreeMap<>();
  /** The body of the first arrival of each seq, and when it arrived. */
  private final Map<Long, String> received = new HashMap<>();
  private final Map<Long, Long> arrivalNanos = new HashMap<>();
  private long highestReceived;
  private int duplicates;
  private int outOfOrder;
  private final List<String> outOfOrderExamples = new ArrayList<>();

  ChaosLedger(String conversation, String sender, String receiver) {
    this.conversation = conversation;
    this.sender = sender;
    this.receiver = receiver;
  }

  synchronized void acked(long seq, String body, long sentNanos) {
    acked.put(seq, new Acked(body, sentNanos));
  }

  /**
   * A message frame reached the receiver. Outside a resume (whose replay may come after newer live messages) a
   * first arrival below the highest seq already received breaks the order the protocol promises.
   */
  synchronized void received(long seq, String body, long nowNanos, boolean resuming, String via) {
    if (received.containsKey(seq)) {
      duplicates++;
      return;
    }
    if (seq < highestReceived && !resuming) {
      outOfOrder++;
      if (outOfOrderExamples.size() < 3) {
        outOfOrderExamples.add(conversation + " " + sender + "→" + receiver + " via " + via + ": seq " + seq + " after "
            + highestReceived + " (" + (nowNanos - arrivalNanos.get(highestReceived)) / 1_000_000 + " ms later)");
      }
    }
    highestReceived = Math.max(highestReceived, seq);
    received.put(seq, body);
    arrivalNanos.put(seq, nowNanos);
  }

  /** Every acked message has arrived. */
  synchronized boolean complete() {
    return received.keySet().containsAll(acked.keySet());
  }

  synchronized Figures figures(long faultNanos) {
    List<Long> missing = new ArrayList<>();
    int mismatched = 0;
    long firstAfterFault = Long.MAX_VALUE;
    for (Map.Entry<Long, Acked> entry : acked.entrySet()) {
      String body = received.get(entry.getKey());
      if (body == null) {
        missing.add(entry.getKey());
        continue;
      }
      if (!body.equals(entry.getValue().body())) {
        mismatched++;
      }
      if (entry.getValue().sentNanos() >= faultNanos) {
        firstAfterFault = Math.min(firstAfterFault, arrivalNanos.get(entry.getKey()));
      }
    }
    int deliveredUnacked = (int) received.keySet().stream().filter(seq -> !acked.containsKey(seq)).count();
    return new Figures(acked.size(), received.size(), duplicates, missing, mismatched, outOfOrder,
        List.copyOf(outOfOrderExamples), deliveredUnacked, firstAfterFault);
  }
}
