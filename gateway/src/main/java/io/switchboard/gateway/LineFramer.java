package io.switchboard.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a TCP byte stream into frames, one per {@code \n}-terminated line (a trailing {@code \r} is dropped,
 * empty lines are skipped). A line longer than the frame limit is reported as soon as the limit is passed,
 * without waiting for its end.
 */
final class LineFramer {

  /** Receives what the framer finds. */
  interface Sink {
    void frame(Buffer line);

    void tooLarge();
  }

  private final int maxFrameBytes;
  private final Sink sink;
  private Buffer pending = Buffer.buffer();
  private boolean failed;

  LineFramer(int maxFrameBytes, Sink sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
  }

  void feed(Buffer chunk) {
    if (failed) {
      return;
    }
    Buffer data = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      if (data.getByte(i) == '\n') {
        int end = i > start && data.getByte(i - 1) == '\r' ? i - 1 : i;
        if (end - start > maxFrameBytes) {
          fail();
          return;
        }
        if (end > start) {
          sink.frame(data.getBuffer(start, end));
        }
        start = i + 1;
      }
    }
    int unterminated = data.length() - start;
    // a line of exactly the limit may already hold the \r of its \r\n
    boolean awaitsNewline = unterminated == maxFrameBytes + 1 && data.getByte(data.length() - 1) == '\r';
    if (unterminated > maxFrameBytes && !awaitsNewline) {
      fail();
      return;
    }
    pending = data.getBuffer(start, data.length());
  }

  private void fail() {
    failed = true;
    pending = Buffer.buffer();
    sink.tooLarge();
  }
}
