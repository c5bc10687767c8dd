package io.switchboard.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP spoken byte by byte over a plain socket, for requests no well-behaved client sends: bodies that never
 * finish, headers dripped slowly, malformed request lines. Reads happen on the test thread with a deadline.
 */
final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private boolean closedByServer;

  RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      out = socket.getOutputStream();
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes bytes as they are; false once the server has closed the connection. */
  synchronized boolean write(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** What the server sends until it closes the connection or {@code quiet} passes without a byte. */
  String readUntilClosedOrQuiet(Duration quiet) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout((int) quiet.toMillis());
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
      closedByServer = true;
    } catch (SocketTimeoutException quietNow) {
      // the server said what it had to say and keeps the connection
    } catch (IOException reset) {
      closedByServer = true;
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** Whether the last read ended because the server closed the connection. */
  boolean closedByServer() {
    return closedByServer;
  }

  /** Blocks until the server closes the connection (true), or the deadline passes (false); discards what it sends. */
  boolean awaitClosed(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    try {
      byte[] buffer = new byte[8192];
      while (System.nanoTime() < end) {
        socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
        try {
          if (in.read(buffer) < 0) {
            return true;
          }
        } catch (SocketTimeoutException notYet) {
          return false;
        }
      }
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
