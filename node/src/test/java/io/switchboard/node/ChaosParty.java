package io.switchboard.node;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One user of the chaos load: a connection that sends into its conversations at a bounded rate, records every
 * ack and message in the conversations' ledgers, and, when the connection drops, reconnects through its node
 * list in turn (as a load balancer would spread it), authenticates again and resumes each conversation.
 *
 * <p>Client policy, where the protocol leaves it to the client: a send without an ack (lost with its connection,
 * refused, or unanswered) is not retried and not counted as acked; a resume asks for everything after the highest
 * seq up to which the client has seen every seq of the conversation (its own acks and its peer's messages), so a
 * gap left by a dropped connection is asked for again; messages are de-duplicated by seq.
 */
final class ChaosParty {

  /** How long a client waits for the answer to a request before it counts as unanswered. */
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
  /** An open waits for offers too (the chaos policy's offer timeout times its offers) and gets longer. */
  static final Duration OPEN_DEADLINE = Duration.ofSeconds(15);
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long LAST_RETRY_MILLIS = 1000;
  private static final int ERROR_TEXT_CHARS = 100;

  /** This party's side of one conversation. */
  static final class Side {
    final int index;
    final String conversation;
    final ChaosLedger outgoing;
    final ChaosLedger incoming;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    /** Between a reconnect and the answer to its resume, replayed messages may come after newer ones. */
    volatile boolean resuming;
    /** Set when the driver closes the conversation itself: its closed frames are expected. */
    volatile boolean closing;
    /** Why the server ended the conversation under the client, or null while it is open. */
    volatile String ended;
    /** The {@code after} of each resume sent, for the report on missing messages. */
    final List<Long> resumedAfter = new CopyOnWriteArrayList<>();
    /** Every seq at or below this one was seen (an own ack or a peer's message); those above it, in {@link #ahead}. */
    private long contiguous;
    private final Set<Long> ahead = new HashSet<>();

    Side(int index, String conversation, ChaosLedger outgoing, ChaosLedger incoming) {
      this.index = index;
      this.conversation = conversation;
      this.outgoing = outgoing;
      this.incoming = incoming;
    }

    synchronized void seen(long seq) {
      if (seq > contiguous) {
        ahead.add(seq);
        while (ahead.remove(contiguous + 1)) {
          contiguous++;
        }
      }
    }

    synchronized long contiguous() {
      return contiguous;
    }
  }

  /** One connection; a reconnect makes a new one. */
  private static final class Link {
    final TestClient client;
    final NodeProcess node;
    volatile boolean closed;

    Link(TestClient client, NodeProcess node) {
      this.client = client;
      this.node = node;
    }
  }

  private record Pending(String type, Side side, String body, long sentNanos, Link link,
                         CompletableFuture<JsonObject> answer) {
  }

  final String user;
  private final boolean tcp;
  private final List<NodeProcess> nodes;
  private final ChaosCluster cluster;
  /** Runs connects and their retries: a connect may wait seconds for a frozen node, so not on the load's beat. */
  private final ScheduledExecutorService connector;
  private final ChaosStats stats;
  /** For a member: called with each offer's conversation before it is accepted; null for a source. */
  private final BiConsumer<String, ChaosParty> onOffer;
  private final Map<String, Side> sides = new ConcurrentHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  /** Only the thread that connects touches it, one connect at a time. */
  private int nextNode;
  private volatile Link link;
  private volatile boolean sending;
  private volatile boolean shutDown;
  private volatile long droppedNanos;

  /**
   * @param nodes the nodes this client connects through, in the order it tries them: its home node first
   */
  ChaosParty(String user, boolean tcp, List<NodeProcess> nodes, ChaosCluster cluster, ScheduledExecutorService connector,
             ChaosStats stats, BiConsumer<String, ChaosParty> onOffer) {
    this.user = user;
    this.tcp = tcp;
    this.nodes = List.copyOf(nodes);
    this.cluster = cluster;
    this.connector = connector;
    this.stats = stats;
    this.onOffer = onOffer;
  }

  // --- connecting

  /** Connects through the home node, or fails: the load starts on a healthy cluster. */
  void connectHome() {
    if (!connectToNext()) {
      throw new AssertionError(user + " could not connect through " + nodes.get(0).nodeId + ": " + stats.failedConnects());
    }
  }

  /** Tries the next node of the list; true once connected and ready. */
  private boolean connectToNext() {
    NodeProcess node = nodes.get(nextNode);
    nextNode = (nextNode + 1) % nodes.size();
    TestClient client = null;
    try {
      client = tcp ? TestClient.tcp(node.tcpPort) : TestClient.webSocket(cluster.vertx, node.httpPort);
    } catch (RuntimeException | AssertionError refused) {
      // no connection or no hello: the node is down or frozen, as a load balancer's health check would find
      stats.failedConnect(node.nodeId + ": " + shorten(refused.getMessage()));
      return false;
    }
    long authSent = System.nanoTime();
    try {
      JsonObject ready = client.request(new JsonObject().put("type", "auth").put("token", cluster.token(user)));
      if (!"ready".equals(ready.getString("type"))) {
        client.close();
        stats.error("auth", ready.getString("code"));
        stats.failedConnect(node.nodeId + ": " + ready.getString("code") + " " + ready.getString("message"));
        return false;
      }
    } catch (RuntimeException | AssertionError unanswered) {
      if (client.isClosed()) {
        stats.lostWithConnection.incrementAndGet();
      } else {
        stats.unanswered("auth of " + user + " through node " + node.nodeId + ", "
            + (System.nanoTime() - authSent) / 1_000_000 + " ms");
      }
      client.close();
      stats.failedConnect(node.nodeId + ": auth " + shorten(unanswered.getMessage()));
      return false;
    }
    Link connected = new Link(client, node);
    // Mailbox deliveries follow ready and a resume follows at once: until its answer, order is the resume's to fix.
    sides.values().forEach(side -> side.resuming = side.ended == null);
    link = connected;
    client.handOver(frame -> onFrame(connected, frame));
    client.whenClosed(() -> onClosed(connected));
    return true;
  }

  private void onClosed(Link closed) {
    closed.closed = true;
    if (link != closed) {
      return;
    }
    link = null;
    sweep(System.nanoTime());
    if (!shutDown) {
      stats.disconnects.incrementAndGet();
      droppedNanos = System.nanoTime();
      connector.execute(() -> reconnect(FIRST_RETRY_MILLIS));
    }
  }

  /** Tries every node once in turn, then again after a pause that grows to a second. */
  private void reconnect(long retryMillis) {
    for (int tries = 0; tries < nodes.size() && !shutDown; tries++) {
      if (connectToNext()) {
        stats.reconnected((System.nanoTime() - droppedNanos) / 1_000_000);
        sides.values().forEach(this::resume);
        return;
      }
    }
    if (!shutDown) {
      connector.schedule(() -> reconnect(Math.min(LAST_RETRY_MILLIS, retryMillis * 2)), retryMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void resume(Side side) {
    if (side.ended != null) {
      return;
    }
    stats.resumes.incrementAndGet();
    long after = side.contiguous();
    side.resumedAfter.add(after);
    request(new JsonObject().put("type", "resume").put("conversation", side.conversation).put("after", after), side, null);
  }

  boolean connected() {
    Link current = link;
    return current != null && !current.closed;
  }

  /** The node this client is connected through, or null between connections. */
  NodeProcess node() {
    Link current = link;
    return current == null || current.closed ? null : current.node;
  }

  // --- conversations and traffic

  Side join(int index, String conversation, ChaosLedger outgoing, ChaosLedger incoming) {
    Side side = new Side(index, conversation, outgoing, incoming);
    sides.put(conversation, side);
    return side;
  }

  Iterable<Side> sides() {
    return sides.values();
  }

  Side side(String conversation) {
    return sides.get(conversation);
  }

  void sending(boolean on) {
    sending = on;
  }

  /** One beat of the load: a message into each open conversation, unless a second's worth waits for acks. */
  void tick(int window) {
    if (!sending || !connected()) {
      return;
    }
    for (Side side : sides.values()) {
      if (side.ended == null && !side.closing && side.inFlight.get() < window) {
        String body = "c" + side.index + "/" + user + "/" + side.sent.incrementAndGet();
        side.inFlight.incrementAndGet();
        stats.sends.incrementAndGet();
        request(new JsonObject().put("type", "send").put("conversation", side.conversation).put("body", body), side, body);
      }
    }
  }

  /** Sends a request (any type) with a fresh id; the future completes with its answer, ok or error alike. */
  CompletableFuture<JsonObject> request(JsonObject frame) {
    String conversation = frame.getString("conversation");
    return request(frame, conversation == null ? null : sides.get(conversation), null);
  }

  private CompletableFuture<JsonObject> request(JsonObject frame, Side side, String body) {
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    Link current = link;
    if (current == null || current.closed) {
      settle(frame.getString("type"), side);
      answer.completeExceptionally(new IllegalStateException(user + " is not connected"));
      return answer;
    }
    String id = user + "-" + nextId.incrementAndGet();
    pending.put(id, new Pending(frame.getString("type"), side, body, System.nanoTime(), current, answer));
    stats.requests.incrementAndGet();
    try {
      current.client.send(frame.copy().put("id", id));
    } catch (RuntimeException closing) {
      // the connection is closing under us; the request goes with it (see sweep)
    }
    return answer;
  }

  /** A request is over, however: a send no longer counts against the window, a resume ends its window. */
  private static void settle(String type, Side side) {
    if (side == null) {
      return;
    }
    if ("send".equals(type)) {
      side.inFlight.decrementAndGet();
    } else if ("resume".equals(type)) {
      side.resuming = false;
    }
  }

  /**
   * Requests whose connection closed are lost with it; those older than their deadline on a live connection are
   * unanswered, a failure of the cluster.
   */
  void sweep(long nowNanos) {
    for (Map.Entry<String, Pending> entry : pending.entrySet()) {
      Pending request = entry.getValue();
      long ageMillis = (nowNanos - request.sentNanos()) / 1_000_000;
      Duration deadline = "open".equals(request.type()) ? OPEN_DEADLINE : REQUEST_DEADLINE;
      if (request.link().closed) {
        if (pending.remove(entry.getKey(), request)) {
          stats.lostWithConnection.incrementAndGet();
          settle(request.type(), request.side());
          request.answer().completeExceptionally(new IllegalStateException("connection closed"));
        }
      } else if (ageMillis > deadline.toMillis() && pending.remove(entry.getKey(), request)) {
        stats.unanswered(request.type() + " " + entry.getKey() + " through node " + request.link().node.nodeId
            + (request.side() == null ? "" : " in " + request.side().conversation) + ", " + ageMillis + " ms");
        settle(request.type(), request.side());
        request.answer().completeExceptionally(new IllegalStateException("unanswered"));
      }
    }
  }

  /** Requests still waiting for an answer. */
  int pending() {
    return pending.size();
  }

  // --- receiving (on the connection's thread: an event loop or the TCP reader)

  private void onFrame(Link from, JsonObject frame) {
    String type = frame.getString("type");
    String id = frame.getString("id");
    if (id != null) {
      Pending request = pending.remove(id);
      if (request != null) {
        answered(request, frame);
      } else if (id.startsWith(user + "-")) {
        stats.lateAnswers.incrementAndGet();
      }
      return;
    }
    switch (type) {
      case "message" -> {
        Side side = sides.get(frame.getString("conversation"));
        if (side != null) {
          long seq = frame.getLong("seq");
          side.incoming.received(seq, frame.getString("body"), System.nanoTime(), side.resuming, from.node.nodeId);
          side.seen(seq);
        }
      }
      case "offer" -> {
        if (onOffer != null) {
          onOffer.accept(frame.getString("conversation"), this);
          request(new JsonObject().put("type", "accept").put("conversation", frame.getString("conversation")));
        }
      }
      case "closed" -> {
        Side side = sides.get(frame.getString("conversation"));
        if (side != null && !side.closing) {
          end(side, "closed (" + frame.getString("reason") + " by " + frame.getString("by") + ") through node "
              + from.node.nodeId);
        }
      }
      default -> {
        // presence, notices, pongs: not part of the accounting
      }
    }
  }

  private void answered(Pending request, JsonObject answer) {
    settle(request.type(), request.side());
    Side side = request.side();
    if ("error".equals(answer.getString("type"))) {
      String code = answer.getString("code");
      stats.error(request.type(), code);
      if (side != null && !side.closing && ("gone".equals(code) || "not_found".equals(code))) {
        end(side, request.type() + " answered " + code + ": " + answer.getString("message"));
      }
    } else if ("send".equals(request.type()) && "ack".equals(answer.getString("type"))) {
      long seq = answer.getLong("seq");
      side.outgoing.acked(seq, request.body(), request.sentNanos());
      side.seen(seq);
    }
    request.answer().complete(answer);
  }

  private void end(Side side, String why) {
    if (side.ended == null) {
      side.ended = why;
      stats.ended(side.conversation, user + " in " + side.conversation + ": " + why);
    }
  }

  /** Stops reconnecting and closes the connection. */
  void shutDown() {
    shutDown = true;
    sending = false;
    Link current = link;
    if (current != null) {
      current.client.close();
    }
  }

  private static String shorten(String text) {
    String line = String.valueOf(text).lines().findFirst().orElse("");
    return line.length() <= ERROR_TEXT_CHARS ? line : line.substring(0, ERROR_TEXT_CHARS) + "…";
  }
}
