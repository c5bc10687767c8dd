package io.switchboard.node;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A TCP protocol client that reads only when the test says so, on the test thread: it can stop reading while
 * the node keeps sending, as a stuck or hostile client would.
 */
final class LineClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final BufferedReader in;

  /** Connects with a small receive buffer, so that the kernel holds little of what the client does not read. */
  LineClient(int port) {
    try {
      socket = new Socket();
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      out = socket.getOutputStream();
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(JsonObject frame) {
    try {
      out.write((frame.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads frames until one matches, and returns it. */
  JsonObject next(Predicate<JsonObject> match) {
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonObject frame = new JsonObject(line);
        if (match.test(frame)) {
          return frame;
        }
      }
      throw new AssertionError("the connection closed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and discards everything until the server closes the connection; false if it is still open after the deadline. */
  boolean drainUntilClosed() {
    char[] buffer = new char[64 << 10];
    try {
      while (in.read(buffer) >= 0) {
        // discarded: what the node had sent before it gave up on this client
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
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
