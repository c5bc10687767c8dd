package io.switchboard.node;

import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A supervisor's live view ({@code GET /api/v1/virtual-users/{id}/live}) over a plain socket: HTTP/1.1 with a chunked
 * Server-Sent Events body, read by a thread of its own into a queue of events ({@code {"event":type,"data":{…}}});
 * or, for a client that reads slowly, not read at all.
 */
final class LiveClient implements AutoCloseable {

  /** Socket receive buffer of a client that does not read: small, so the node's bound is what fills up. */
  private static final int UNREAD_RECEIVE_BUFFER = 4096;

  private final Socket socket;
  private final InputStream in;
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final List<JsonObject> backlog = new ArrayList<>();
  private volatile boolean ended;
  final int status;
  /** The body of an answer other than 200. */
  final String errorBody;

  private LiveClient(int port, String uri, String token, boolean reading) {
    try {
      socket = new Socket();
      if (!reading) {
        socket.setReceiveBufferSize(UNREAD_RECEIVE_BUFFER);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      String authorization = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
      socket.getOutputStream().write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      in = new BufferedInputStream(socket.getInputStream());
      status = Integer.parseInt(line().split(" ")[1]);
      int length = -1;
      for (String header = line(); !header.isEmpty(); header = line()) {
        if (header.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(header.substring(15).trim());
        }
      }
      errorBody = status == 200 ? null : new String(in.readNBytes(Math.max(length, 0)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (status == 200 && reading) {
      Thread reader = new Thread(this::readEvents, "live-client");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** A live view that is read as events come. */
  static LiveClient open(int port, String virtualUser, String token) {
    return new LiveClient(port, "/api/v1/virtual-users/" + virtualUser + "/live", token, true);
  }

  /** A live view whose events are never read. */
  static LiveClient unread(int port, String virtualUser, String token) {
    return new LiveClient(port, "/api/v1/virtual-users/" + virtualUser + "/live", token, false);
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed");
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Reads the chunked body and splits it into events at blank lines; comments (keep-alives) are skipped. */
  private void readEvents() {
    StringBuilder text = new StringBuilder();
    try {
      socket.setSoTimeout(0);
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        text.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        line();
        for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
          String event = text.substring(0, end);
          text.delete(0, end + 2);
          parse(event);
        }
      }
    } catch (IOException | RuntimeException closed) {
      // the node or the test closed the connection
    } finally {
      ended = true;
    }
  }

  private void parse(String block) {
    String type = null;
    String data = null;
    for (String field : block.split("\n")) {
      if (field.startsWith("event: ")) {
        type = field.substring(7);
      } else if (field.startsWith("data: ")) {
        data = field.substring(6);
      }
    }
    if (type != null) {
      events.add(new JsonObject().put("event", type).put("data", new JsonObject(data)));
    }
  }

  /** The data of the next event of {@code type} that matches; events it passes stay queued for later calls. */
  JsonObject next(String type, Predicate<JsonObject> match) {
    Predicate<JsonObject> wanted = event -> type.equals(event.getString("event")) && match.test(event.getJsonObject("data"));
    for (Iterator<JsonObject> queued = backlog.iterator(); queued.hasNext(); ) {
      JsonObject event = queued.next();
      if (wanted.test(event)) {
        queued.remove();
        return event.getJsonObject("data");
      }
    }
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    try {
      while (true) {
        JsonObject event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (event == null) {
          fail("no matching " + type + " event within " + TestClient.WAIT + "; got " + backlog);
        }
        if (wanted.test(event)) {
          return event.getJsonObject("data");
        }
        backlog.add(event);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  JsonObject next(String type) {
    return next(type, data -> true);
  }

  /** Whether the node ended the stream (reading clients only). */
  boolean ended() {
    return ended;
  }

  /** Reads what the node had sent, until it closes the connection; false if it is still open after the wait. */
  boolean drainsToTheEnd() {
    try {
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      byte[] buffer = new byte[65536];
      while (in.read(buffer) >= 0) {
        // dropped: what was in flight is read and thrown away
      }
      return true;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
