package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code relay}: P conversations are opened (sources to virtual users, auto-accepting members), then both sides
 * of each send messages for the duration: at a total target rate, or as fast as acks allow with a window of
 * unacknowledged messages per side. Every body carries its own counter and send time, so the receiver measures
 * send → deliver latency and finds lost, duplicated and out-of-order messages, and checks {@code seq} against
 * the ack and the conversation's numbering. At a target rate, the send time is the time the schedule gave the
 * message ({@link Pacer}), so time spent waiting for a window counts as latency.
 */
final class RelayScenario {

  private static final Logger LOG = LoggerFactory.getLogger(RelayScenario.class);
  /** How long, after the last send, acks and deliveries may still arrive before the rest counts as lost. */
  private static final long DRAIN_MS = 5_000;
  private static final long RATE_TICK_MS = 5;
  /**
   * A rate tick the bench itself made late (its event loop busy, a pause) sends what came due meanwhile, up to this
   * much of the rate: on a busy machine ticks come tens of ms late, and that is not the node holding the bench back.
   */
  private static final Duration MAX_TICK_CREDIT = Duration.ofSeconds(1);
  private static final long ERROR_PAUSE_MS = 10;

  static final Map<String, String> OPTIONS = Options.table(
      Parties.options("source connections sharing the conversations, src-1…src-S (default: min(conversations, 100))",
          "virtual users the conversations go to, vu-1…vu-V (default 10)"),
      "conversations", "conversations open at once (default 100)",
      "rate", "messages per second in all, both directions together, on a fixed schedule that is never caught up "
          + "faster; latency counts from each message's scheduled time; 0 = as fast as acks allow (default 0)",
      "window", "unacknowledged messages per conversation side (default 8)",
      "size", "message body in bytes, at least 32 (default 100)",
      ProcessCpu.OPTION, ProcessCpu.HELP);

  private final Vertx vertx;
  private final LoadOptions load;
  private final int conversationCount;
  private final Parties parties;
  private final int rate;
  private final int window;
  private final int size;
  private final String padding;
  private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
  private final List<Direction> directions = new ArrayList<>();
  private final Latency deliverLatency = new Latency();
  private final Latency ackLatency = new Latency();
  /** Paced runs: how long after its scheduled time each message was sent. */
  private final Latency sendLag = new Latency();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final ErrorCounts errors = new ErrorCounts();
  private final ErrorCounts connectErrors = new ErrorCounts();
  private final LongAdder strays = new LongAdder();
  private final ProcessCpu cpu;
  private Pacer pacer;
  /** Paced runs: how far the schedule had fallen behind when sending stopped, and how many it still owed. */
  private long behindNanos;
  private long owed;
  private volatile boolean sending;
  private volatile long measureFrom;
  private volatile long deadline;
  private int cursor;

  RelayScenario(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.load = LoadOptions.from(options);
    this.conversationCount = options.integer("conversations", 100, 1);
    this.parties = new Parties(options, Math.min(conversationCount, 100));
    this.rate = options.integer("rate", 0, 0);
    this.window = options.integer("window", 8, 1);
    this.size = options.integer("size", 100, 32);
    // A body is "<counter>:<send nanos>:" then padding up to the size.
    this.padding = "x".repeat(size - 32);
    this.cpu = ProcessCpu.from(vertx, options);
  }

  /** One side of one conversation sending to the other; guarded by its own lock (acks and deliveries race). */
  private final class Direction {
    final ProtocolClient sender;
    final String conversation;
    int next;
    int inFlight;
    final BitSet ackedSet = new BitSet();
    final BitSet receivedSet = new BitSet();
    int[] ackSeq = new int[64];
    int[] deliverSeq = new int[64];
    int maxReceived;
    long lastSeq;
    long duplicated;
    long outOfOrder;
    long seqMismatches;

    Direction(ProtocolClient sender, String conversation) {
      this.sender = sender;
      this.conversation = conversation;
    }

    synchronized boolean canSend() {
      return inFlight < window && !sender.isClosed();
    }

    synchronized int reserve() {
      inFlight++;
      return ++next;
    }

    synchronized void acked(int counter, int seq) {
      inFlight--;
      ackedSet.set(counter);
      ackSeq = grow(ackSeq, counter);
      ackSeq[counter] = seq;
      if (deliverSeq.length > counter && deliverSeq[counter] != 0 && deliverSeq[counter] != seq) {
        seqMismatches++;
      }
    }

    synchronized void failed() {
      inFlight--;
    }

    synchronized void received(int counter, int seq) {
      if (receivedSet.get(counter)) {
        duplicated++;
        return;
      }
      receivedSet.set(counter);
      if (counter < maxReceived || seq <= lastSeq) {
        outOfOrder++;
      }
      maxReceived = Math.max(maxReceived, counter);
      lastSeq = Math.max(lastSeq, seq);
      deliverSeq = grow(deliverSeq, counter);
      deliverSeq[counter] = seq;
      if (ackSeq.length > counter && ackSeq[counter] != 0 && ackSeq[counter] != seq) {
        seqMismatches++;
      }
    }

    synchronized boolean settled() {
      return inFlight == 0 && receivedSet.cardinality() >= ackedSet.cardinality();
    }

    synchronized long lost() {
      BitSet missing = (BitSet) ackedSet.clone();
      missing.andNot(receivedSet);
      return missing.cardinality();
    }

    synchronized long unacked() {
      return next - ackedSet.cardinality();
    }

    /** Adds this side's acknowledged seqs to the conversation's; returns how many were already there. */
    synchronized long collectSeqs(BitSet seqs) {
      long repeated = 0;
      for (int counter = ackedSet.nextSetBit(0); counter >= 0; counter = ackedSet.nextSetBit(counter + 1)) {
        if (seqs.get(ackSeq[counter])) {
          repeated++;
        }
        seqs.set(ackSeq[counter]);
      }
      return repeated;
    }

    private int[] grow(int[] array, int index) {
      return index < array.length ? array : Arrays.copyOf(array, Math.max(index + 1, array.length * 2));
    }
  }

  private record Conversation(String id, ProtocolClient source, Direction toMember, Direction toSource) {
  }

  Future<JsonObject> run() {
    Connector connector = new Connector(vertx, load);
    connector.start();
    Members memberClients = new Members(errors, (member, frame) -> onEvent(frame, false));
    JsonObject connections = new JsonObject();
    return parties.connect("relay", connector, memberClients, connectErrors, connections)
        .compose(connectedSources -> {
          connectedSources.forEach(source -> source.onEvent(frame -> onEvent(frame, true)));
          return openAll(connectedSources, memberClients);
        })
        .compose(opened -> {
          if (directions.isEmpty()) {
            return Future.failedFuture("no conversation could be opened: " + errors.toJson().encode());
          }
          LOG.info("relay: {} conversations open; sending for {} (+{} warm-up)", conversations.size(),
              load.duration(), load.warmup());
          return drive();
        })
        .compose(measured -> closeConversations().map(measured))
        .map(measured -> result(connections.put("errors", connectErrors.toJson()).mergeIn(connector.toJson())))
        .eventually(connector::close);
  }

  /** Opens the conversations, each source one at a time, the sources in parallel. */
  private Future<Void> openAll(List<ProtocolClient> connected, Members memberClients) {
    List<Future<Void>> perSource = new ArrayList<>();
    for (int s = 0; s < connected.size(); s++) {
      ProtocolClient source = connected.get(s);
      Future<Void> opens = Future.succeededFuture();
      for (int k = s; k < conversationCount; k += connected.size()) {
        String to = Names.virtualUser(k % parties.virtualUsers + 1);
        opens = opens.compose(previous -> source.request(new JsonObject().put("type", "open").put("to", to), "opened")
            .map(opened -> {
              String id = opened.getString("conversation");
              ProtocolClient member = memberClients.take(id);
              if (member == null) {
                errors.count("open:no_member_seen");
              } else {
                Direction toMember = new Direction(source, id);
                Direction toSource = new Direction(member, id);
                conversations.put(id, new Conversation(id, source, toMember, toSource));
                synchronized (directions) {
                  directions.add(toMember);
                  directions.add(toSource);
                }
              }
              return (Void) null;
            })
            .recover(failure -> {
              errors.count("open", failure);
              return Future.succeededFuture();
            }));
      }
      perSource.add(opens);
    }
    return Future.join(perSource).mapEmpty();
  }

  private void onEvent(JsonObject frame, boolean atSource) {
    String type = frame.getString("type");
    if ("message".equals(type)) {
      long now = System.nanoTime();
      Conversation conversation = conversations.get(frame.getString("conversation", ""));
      String body = frame.getString("body", "");
      int first = body.indexOf(':');
      int second = first < 0 ? -1 : body.indexOf(':', first + 1);
      if (conversation == null || second < 0) {
        strays.increment();
        return;
      }
      int counter = Integer.parseInt(body, 0, first, 10);
      long sentAt = Long.parseLong(body, first + 1, second, 10);
      (atSource ? conversation.toSource : conversation.toMember).received(counter, frame.getInteger("seq", 0));
      if (now - measureFrom >= 0 && now - deadline < 0) {
        deliverLatency.recordNanos(now - sentAt);
        delivered.increment();
      }
    } else if ("closed".equals(type) && sending) {
      errors.count("closed:" + frame.getString("reason", "?"));
    }
  }

  /** Sends until the deadline, then waits (bounded) for the last acks and deliveries. */
  private Future<Void> drive() {
    long start = System.nanoTime();
    measureFrom = start + load.warmup().toNanos();
    deadline = measureFrom + load.duration().toNanos();
    sending = true;
    if (load.warmup().isZero()) {
      cpu.markStart();
    } else {
      vertx.setTimer(load.warmup().toMillis(), warm -> cpu.markStart());
    }
    Promise<Void> stopped = Promise.promise();
    long ticker = -1;
    if (rate > 0) {
      pacer = new Pacer(rate, start, MAX_TICK_CREDIT);
      ticker = vertx.setPeriodic(RATE_TICK_MS, tick -> paced());
    } else {
      for (Direction direction : directions) {
        for (int i = 0; i < window; i++) {
          send(direction, System.nanoTime());
        }
      }
    }
    long pacing = ticker;
    vertx.setTimer(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), end -> {
      sending = false;
      if (pacing >= 0) {
        vertx.cancelTimer(pacing);
        long now = System.nanoTime();
        behindNanos = pacer.behindNanos(now);
        owed = pacer.dueBy(now) - pacer.sent();
      }
      cpu.markEnd().onComplete(sampled -> stopped.complete());
    });
    return stopped.future().compose(end -> drained()).onSuccess(done -> LOG.info("relay: drained"));
  }

  /**
   * A rate tick: sends what the schedule has due and the rate allows, to the sides with room in their window, in
   * turn; each message carries its scheduled time.
   */
  private void paced() {
    long now = System.nanoTime();
    int sendable = pacer.sendable(now);
    int full = 0;
    while (sendable > 0 && full < directions.size() && sending) {
      Direction direction = directions.get(cursor++ % directions.size());
      if (direction.canSend()) {
        long scheduled = pacer.take();
        if (now - measureFrom >= 0) {
          sendLag.recordNanos(now - scheduled);
        }
        send(direction, scheduled);
        sendable--;
        full = 0;
      } else {
        full++;
      }
    }
    pacer.endTick();
  }

  /** Sends the next message of {@code direction}; its latencies count from {@code sentAt} (nanoTime). */
  private void send(Direction direction, long sentAt) {
    int counter = direction.reserve();
    String body = counter + ":" + sentAt + ":" + padding;
    direction.sender.request(new JsonObject().put("type", "send").put("conversation", direction.conversation)
            .put("body", body), "ack")
        .onComplete(reply -> {
          if (reply.succeeded()) {
            long now = System.nanoTime();
            direction.acked(counter, reply.result().getInteger("seq", 0));
            if (now - measureFrom >= 0 && now - deadline < 0) {
              ackLatency.recordNanos(now - sentAt);
              acked.increment();
            }
            if (rate == 0 && sending) {
              send(direction, System.nanoTime());
            }
          } else {
            direction.failed();
            errors.count("send", reply.cause());
            if (rate == 0 && sending && !direction.sender.isClosed()) {
              vertx.setTimer(ERROR_PAUSE_MS, pause -> send(direction, System.nanoTime()));
            }
          }
        });
  }

  private Future<Void> drained() {
    Promise<Void> done = Promise.promise();
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
    vertx.setPeriodic(20, poll -> {
      if (directions.stream().allMatch(Direction::settled) || System.nanoTime() - giveUp >= 0) {
        vertx.cancelTimer(poll);
        done.tryComplete();
      }
    });
    return done.future();
  }

  private Future<Void> closeConversations() {
    List<Future<JsonObject>> closes = new ArrayList<>();
    conversations.values().forEach(conversation -> closes.add(conversation.source.request(
        new JsonObject().put("type", "close").put("conversation", conversation.id), "ok")
        .onFailure(failure -> errors.count("close", failure))));
    return Future.join(closes).<Void>mapEmpty().timeout(DRAIN_MS, TimeUnit.MILLISECONDS)
        .recover(late -> Future.succeededFuture());
  }

  private JsonObject result(JsonObject connections) {
    long lost = 0;
    long duplicated = 0;
    long outOfOrder = 0;
    long seqMismatches = 0;
    long unacked = 0;
    long sent = 0;
    for (Direction direction : directions) {
      lost += direction.lost();
      synchronized (direction) {
        duplicated += direction.duplicated;
        outOfOrder += direction.outOfOrder;
        seqMismatches += direction.seqMismatches;
        sent += direction.next;
      }
      unacked += direction.unacked();
    }
    long seqGaps = 0;
    for (Conversation conversation : conversations.values()) {
      BitSet seqs = new BitSet();
      duplicated += conversation.toMember.collectSeqs(seqs) + conversation.toSource.collectSeqs(seqs);
      // Seqs count from 1, one counter for both sides: the acked ones must be 1…n with no hole.
      seqGaps += seqs.isEmpty() ? 0 : seqs.length() - 1 - seqs.cardinality();
    }
    double seconds = load.duration().toMillis() / 1000.0;
    JsonObject result = new JsonObject()
        .put("scenario", "relay")
        .put("transport", load.transport().name().toLowerCase())
        .put("conversations", conversations.size())
        .mergeIn(parties.toJson())
        .put("rate", rate)
        .put("window", window)
        .put("size", size)
        .put("durationSeconds", seconds)
        .put("warmupSeconds", load.warmup().toMillis() / 1000.0)
        .put("messages", delivered.sum())
        .put("messagesPerSecond", Math.round(delivered.sum() / seconds * 10) / 10.0)
        .put("deliverLatencyMs", deliverLatency.toJson())
        .put("ackLatencyMs", ackLatency.toJson())
        .put("acked", acked.sum())
        .put("lost", lost)
        .put("duplicated", duplicated)
        .put("outOfOrder", outOfOrder)
        .put("seqMismatches", seqMismatches)
        .put("seqGaps", seqGaps)
        .put("sent", sent)
        .put("unacked", unacked)
        .put("strays", strays.sum())
        .put("errors", errors.toJson())
        .put("connections", connections);
    if (rate > 0) {
      result.put("sendLagMs", sendLag.toJson())
          .put("behindMs", Math.round(behindNanos / 1e3) / 1000.0)
          .put("owed", owed);
    }
    JsonObject cpuPerMessage = cpu.toJson(delivered.sum());
    return cpuPerMessage == null ? result : result.put("cpu", cpuPerMessage);
  }
}
