package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One protocol connection of one user, over either transport. Requests get an id and a future completed by
 * the reply with the same id ({@code error} replies fail it with a {@link ProtocolError}); frames without a
 * pending id (offers, messages, closed, presence) go to the event handler. Safe to use from any thread: the
 * transport's writes are, and replies complete futures on the connection's event loop. Nothing here blocks.
 */
final class ProtocolClient {

  /** How frames leave: a WebSocket text message or a line on TCP. */
  interface Wire {
    void write(String frame);

    void close();
  }

  private record Pending(Promise<JsonObject> promise, long sentNanos) {
  }

  private final String user;
  private final Wire wire;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final Promise<Void> closed = Promise.promise();
  private volatile Consumer<JsonObject> events = frame -> { };
  private volatile long lastSentNanos = System.nanoTime();
  private volatile int heartbeatMillis = 30_000;

  ProtocolClient(String user, Wire wire) {
    this.user = user;
    this.wire = wire;
  }

  String user() {
    return user;
  }

  /** Sends {@code frame} with a fresh id; completes with the reply, fails with a {@link ProtocolError}. */
  Future<JsonObject> request(JsonObject frame) {
    String id = Long.toString(nextId.incrementAndGet(), 36);
    Promise<JsonObject> promise = Promise.promise();
    pending.put(id, new Pending(promise, System.nanoTime()));
    if (closed.future().isComplete()) {
      pending.remove(id);
      return Future.failedFuture(new ProtocolError(ProtocolError.DISCONNECTED, "the connection is closed"));
    }
    send(frame.put("id", id));
    return promise.future();
  }

  /** {@link #request} that also fails unless the reply's type is {@code expected}. */
  Future<JsonObject> request(JsonObject frame, String expected) {
    return request(frame).compose(reply -> expected.equals(reply.getString("type")) ? Future.succeededFuture(reply)
        : Future.failedFuture(new ProtocolError(ProtocolError.UNEXPECTED_REPLY, reply.encode())));
  }

  void send(JsonObject frame) {
    lastSentNanos = System.nanoTime();
    wire.write(frame.encode());
  }

  /** Authenticates; completes with the {@code ready} frame. */
  Future<JsonObject> auth(String token) {
    return request(new JsonObject().put("type", "auth").put("token", token), "ready");
  }

  /** Where frames that answer no pending request go; replaces the previous handler. */
  void onEvent(Consumer<JsonObject> handler) {
    events = handler;
  }

  /** A frame as received from the transport. */
  void receive(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      return;
    }
    if (frame.getValue("id") instanceof String id) {
      Pending request = pending.remove(id);
      if (request != null) {
        if ("error".equals(frame.getString("type"))) {
          request.promise.tryFail(new ProtocolError(frame.getString("code", "error"), frame.getString("message", "")));
        } else {
          request.promise.tryComplete(frame);
        }
        return;
      }
    }
    if ("hello".equals(frame.getString("type")) && frame.getValue("heartbeat") instanceof Number heartbeat) {
      heartbeatMillis = heartbeat.intValue();
    }
    events.accept(frame);
  }

  /** The transport is gone: every pending request fails. */
  void closed() {
    closed.tryComplete();
    failPending(Long.MAX_VALUE, ProtocolError.DISCONNECTED);
  }

  /** Fails the requests sent before {@code sentBeforeNanos} with {@code code}. */
  void failPending(long sentBeforeNanos, String code) {
    for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Pending request = it.next().getValue();
      if (request.sentNanos - sentBeforeNanos < 0 || sentBeforeNanos == Long.MAX_VALUE) {
        it.remove();
        request.promise.tryFail(new ProtocolError(code, "no reply"));
      }
    }
  }

  boolean isClosed() {
    return closed.future().isComplete();
  }

  Future<Void> whenClosed() {
    return closed.future();
  }

  long lastSentNanos() {
    return lastSentNanos;
  }

  int heartbeatMillis() {
    return heartbeatMillis;
  }

  void close() {
    wire.close();
  }
}
