package io.switchboard.node;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real protocol client over WebSocket or TCP, driven from the test thread: frames it receives queue up and
 * the test takes them with a deadline. Waiting happens on the JUnit thread only, never on an event loop.
 */
final class TestClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);
  /** How long "nothing else arrives" is watched for; only used to show the absence of frames. */
  static final Duration QUIET = Duration.ofMillis(300);

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  /** Reacts to frames as they arrive, on the receiving thread (e.g. a member that accepts every offer). */
  private final List<Consumer<JsonObject>> reactions = new CopyOnWriteArrayList<>();
  /** Frames passed over by {@link #next(Predicate)}; only the test thread touches it. */
  private final List<JsonObject> backlog = new ArrayList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  /** Set by {@link #handOver}: takes every frame instead of the queue. */
  private Consumer<JsonObject> listener;
  private final Transport transport;
  private int nextId;
  private JsonObject hello;
  /** The server's answer to the WebSocket handshake (null on TCP). */
  private MultiMap handshake;
  /** Vert.x closes a client that is no longer referenced; the test client keeps its own alive. */
  private Object owner;

  /** How frames leave the client: a WebSocket text frame, or a line on TCP. */
  private interface Transport {
    void sendFrame(String text);

    /** Bytes as they are: a text frame's payload on WebSocket (even if not UTF-8), raw stream bytes on TCP. */
    void sendBytes(Buffer bytes);

    void sendBinary(Buffer bytes);

    void close();
  }

  private TestClient(Transport transport) {
    this.transport = transport;
  }

  static TestClient webSocket(Vertx vertx, int port) {
    return webSocket(vertx, port, new WebSocketClientOptions());
  }

  /** A WebSocket client with these options (e.g. one that offers compression); frames up to 1 MB either way. */
  static TestClient webSocket(Vertx vertx, int port, WebSocketClientOptions options) {
    WebSocketConnectOptions target = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    WebSocketClient http = vertx.createWebSocketClient(options.setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    ClientWebSocket socket = http.webSocket();
    TestClient client = new TestClient(new Transport() {
      @Override
      public void sendFrame(String text) {
        socket.writeFinalTextFrame(text);
      }

      @Override
      public void sendBytes(Buffer bytes) {
        // The API writes only valid text in a text frame; a continuation frame carries any bytes.
        socket.writeFrame(WebSocketFrame.textFrame("", false));
        socket.writeFrame(WebSocketFrame.continuationFrame(bytes, true));
      }

      @Override
      public void sendBinary(Buffer bytes) {
        socket.writeFinalBinaryFrame(bytes);
      }

      @Override
      public void close() {
        socket.close().onComplete(closed -> http.close());
      }
    });
    client.owner = http;
    // Handlers are set before connecting: a handler set once the connection completes can miss the hello.
    socket.textMessageHandler(text -> client.receive(new JsonObject(text)));
    socket.closeHandler(done -> client.closed.complete(socket.closeStatusCode()));
    await(socket.connect(target));
    client.handshake = socket.headers();
    return client.expectHello();
  }

  /**
   * A TCP client on a plain socket with a reader thread: it sees every byte from the first, which a Vert.x
   * NetClient cannot promise (data may arrive before its handler is set).
   */
  static TestClient tcp(int port) {
    try {
      return tcp(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TCP client on this connected socket, e.g. a TLS one. */
  static TestClient tcp(Socket socket) {
    try {
      OutputStream out = socket.getOutputStream();
      TestClient client = new TestClient(new Transport() {
        @Override
        public void sendFrame(String text) {
          sendBytes(Buffer.buffer(text).appendString("\n"));
        }

        @Override
        public synchronized void sendBytes(Buffer bytes) {
          try {
            out.write(bytes.getBytes());
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void sendBinary(Buffer bytes) {
          throw new UnsupportedOperationException("TCP has no binary frames");
        }

        @Override
        public void close() {
          try {
            socket.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
      });
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            client.receive(new JsonObject(line));
          }
        } catch (IOException closed) {
          // the socket was closed by either side
        }
        client.closed.complete((short) 0);
      }, "tcp-test-client");
      reader.setDaemon(true);
      reader.start();
      return client.expectHello();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestClient expectHello() {
    hello = next();
    assertEquals("hello", hello.getString("type"));
    assertEquals(1, hello.getInteger("protocol"));
    return this;
  }

  /** The headers of the server's WebSocket handshake answer. */
  MultiMap handshake() {
    return handshake;
  }

  /** The hello frame the server opened with. */
  JsonObject hello() {
    return hello;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete: " + e, e);
    }
  }

  private void receive(JsonObject frame) {
    synchronized (frames) {
      if (listener != null) {
        listener.accept(frame);
        return;
      }
      reactions.forEach(reaction -> reaction.accept(frame));
      frames.add(frame);
    }
  }

  /**
   * Hands every frame, from those already queued on, to {@code handler} on the receiving thread, and queues none
   * any more: for a load driver that reads every frame itself and would otherwise fill the queue. The handler
   * must not block (it may run on an event loop). {@link #next} and {@link #request} cannot be used after this.
   */
  void handOver(Consumer<JsonObject> handler) {
    synchronized (frames) {
      backlog.forEach(handler);
      backlog.clear();
      for (JsonObject queued = frames.poll(); queued != null; queued = frames.poll()) {
        handler.accept(queued);
      }
      listener = handler;
    }
  }

  /** Runs {@code action} once the connection is closed, by either side (at once if it already is). */
  void whenClosed(Runnable action) {
    closed.whenComplete((code, failure) -> action.run());
  }

  /** Accepts every offer as soon as it arrives, like an agent console set to auto-accept. */
  TestClient autoAccept() {
    reactions.add(frame -> {
      if ("offer".equals(frame.getString("type"))) {
        send(new JsonObject().put("type", "accept").put("id", "auto-" + frame.getString("conversation"))
            .put("conversation", frame.getString("conversation")));
      }
    });
    return this;
  }

  // --- sending

  void send(JsonObject frame) {
    sendRaw(frame.encode());
  }

  /** Sends text as one frame (a line on TCP). */
  void sendRaw(String text) {
    transport.sendFrame(text);
  }

  /** Sends bytes exactly as given: a text frame's payload on WebSocket, stream bytes on TCP (add the newline). */
  void sendBytes(Buffer bytes) {
    transport.sendBytes(bytes);
  }

  /** Sends a binary WebSocket frame. */
  void sendBinary(Buffer bytes) {
    transport.sendBinary(bytes);
  }

  /** Sends a request with a fresh id and returns the reply, skipping unrelated frames into {@link #frames}. */
  JsonObject request(JsonObject frame) {
    String id = "r" + (++nextId);
    send(frame.copy().put("id", id));
    return next(received -> id.equals(received.getString("id")));
  }

  JsonObject auth(String token) {
    JsonObject ready = request(new JsonObject().put("type", "auth").put("token", token));
    assertEquals("ready", ready.getString("type"), ready::encode);
    return ready;
  }

  // --- receiving

  /** The next frame. */
  JsonObject next() {
    return next(frame -> true);
  }

  /** The next frame of {@code type}; frames before it stay queued for later calls. */
  JsonObject next(String type) {
    return next(frame -> type.equals(frame.getString("type")));
  }

  /** The first frame that matches; the frames it passes stay queued, in order, for later calls. */
  JsonObject next(Predicate<JsonObject> match) {
    for (Iterator<JsonObject> queued = backlog.iterator(); queued.hasNext(); ) {
      JsonObject frame = queued.next();
      if (match.test(frame)) {
        queued.remove();
        return frame;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      while (true) {
        JsonObject frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (frame == null) {
          fail("no matching frame within " + WAIT + "; got " + backlog);
        }
        if (match.test(frame)) {
          return frame;
        }
        backlog.add(frame);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next frame if one arrives within {@code wait}, else null: for a test that decides itself when to stop. */
  JsonObject poll(Duration wait) {
    if (!backlog.isEmpty()) {
      return backlog.remove(0);
    }
    try {
      return frames.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Asserts that no frame arrives for a short while. */
  void expectNothing() {
    assertTrue(backlog.isEmpty(), () -> "unexpected frames " + backlog);
    try {
      JsonObject frame = frames.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
      assertNull(frame, () -> "unexpected frame " + frame.encode());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Asserts the server closes the connection and returns the WebSocket close code (0 on TCP). */
  short expectClosed() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + WAIT, e);
    }
  }

  /** Watches the connection for {@code period}: true if it is still open at the end. */
  boolean staysOpenFor(Duration period) {
    try {
      closed.get(period.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException stillOpen) {
      return true;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  /** The error frame answering the next request, with the code asserted. */
  JsonObject expectError(JsonObject reply, String code) {
    assertEquals("error", reply.getString("type"), reply::encode);
    assertEquals(code, reply.getString("code"), reply::encode);
    assertTrue(reply.getString("message") != null && !reply.getString("message").isEmpty());
    return reply;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      transport.close();
    }
  }
}
