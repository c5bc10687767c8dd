package io.switchboard.gateway;

import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.contract.SwitchboardMetrics.Observed;
import io.switchboard.rules.Observation;
import io.switchboard.store.RulesStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records for the adaptive manager what users receive and send (docs/RULES.md § "Suggestions"), never waited for, so
 * that a message is acknowledged and delivered whatever becomes of its observation. One store step is written at a
 * time, with what was observed until the end of the event loop's turn: an observation made while a step is under
 * way waits for the next, which takes everything that waited, of every user, at once; so an idle store gets a
 * message's observations in one step, and a busy one a step per round trip instead of two a message. At most
 * {@link #MAX_PENDING} observations of one gateway wait or are being written; past that one is dropped. Every outcome
 * is counted ({@link SwitchboardMetrics#observation}).
 */
final class Observations {

  private static final Logger LOG = LoggerFactory.getLogger(Observations.class);
  /** Observations of one gateway waiting for the store: a slow store sheds observations, not messages. */
  static final int MAX_PENDING = 256;

  private final RulesStore store;
  private final SwitchboardMetrics metrics;
  /** Touched on the gateway's event loop only: what waits for the next step, how many wait or are being written. */
  private Map<String, List<JsonObject>> waiting = new LinkedHashMap<>();
  private int pending;
  private boolean writing;

  Observations(RulesStore store, SwitchboardMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  /**
   * {@code user} received message {@code seq} of {@code conversation} from {@code sender} (as the user sees it), a
   * closing or not ({@link io.switchboard.rules.ClosingClass}).
   */
  void received(String user, String conversation, long seq, String sender, boolean closing, long at) {
    record(user, Observation.received(conversation, seq, sender, closing, at));
  }

  /** {@code user} sent message {@code seq} of {@code conversation}, a closing or not. */
  void sent(String user, String conversation, long seq, boolean closing, long at) {
    record(user, Observation.sent(conversation, seq, closing, at));
  }

  private void record(String user, Observation observation) {
    if (pending >= MAX_PENDING) {
      metrics.observation(Observed.DROPPED);
      return;
    }
    pending++;
    waiting.computeIfAbsent(user, key -> new ArrayList<>()).add(observation.toJson());
    if (!writing) {
      // at the end of this turn of the event loop: a message's observations (its sender's, its recipient's) go in
      // one step
      writing = true;
      Context context = Vertx.currentContext();
      if (context == null) {
        writeWaiting();
      } else {
        context.runOnContext(endOfTurn -> writeWaiting());
      }
    }
  }

  private void writeWaiting() {
    Map<String, List<JsonObject>> step = waiting;
    waiting = new LinkedHashMap<>();
    int count = step.values().stream().mapToInt(List::size).sum();
    store.observe(step).onComplete(done -> {
      pending -= count;
      if (done.succeeded()) {
        count(Observed.TRIMMED, done.result());
        count(Observed.RECORDED, count - done.result());
      } else {
        count(Observed.FAILED, count);
        LOG.debug("{} observations were not kept: {}", count, done.cause().getMessage());
      }
      if (waiting.isEmpty()) {
        writing = false;
      } else {
        writeWaiting();
      }
    });
  }

  private void count(Observed outcome, int times) {
    for (int i = 0; i < times; i++) {
      metrics.observation(outcome);
    }
  }
}
