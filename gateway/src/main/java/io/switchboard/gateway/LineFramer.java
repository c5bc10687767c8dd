package io.switchboard.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a TCP byte stream into frames, one per {@code \n}-terminated line (a trailing {@code \r} is dropped,
 * empty lines are skipped). A line longer than the frame limit is reported as soon as the limit is passed,
 * without waiting for its end. Every byte is looked at once, however the line is cut into chunks: a line
 * dripped a byte at a time costs no more than one sent whole.
 */
final class LineFramer {

  /** Receives what the framer finds. */
  interface Sink {
    void frame(Buffer line);

    void tooLarge();
  }

  private final int maxFrameBytes;
  private final Sink sink;
  /** The line not yet ended; every byte of it was searched for {@code \n} already. */
  private Buffer pending = Buffer.buffer();
  private long bytesExamined;
  private boolean failed;

  LineFramer(int maxFrameBytes, Sink sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
  }

  void feed(Buffer chunk) {
    if (failed) {
      return;
    }
    int scanFrom = pending.length();
    Buffer data = scanFrom == 0 ? chunk : pending.appendBuffer(chunk);
    int start = 0;
    for (int i = scanFrom; i < data.length(); i++) {
      if (data.getByte(i) == '\n') {
        int end = i > start && data.getByte(i - 1) == '\r' ? i - 1 : i;
        if (end - start > maxFrameBytes) {
          fail();
          return;
        }
        if (end > start) {
          // a slice, not a copy: a chunk is never written to once framed (pending holds copies only)
          sink.frame(data.slice(start, end));
        }
        start = i + 1;
      }
    }
    bytesExamined += data.length() - scanFrom;
    int unterminated = data.length() - start;
    // a line of exactly the limit may already hold the \r of its \r\n
    boolean awaitsNewline = unterminated == maxFrameBytes + 1 && data.getByte(data.length() - 1) == '\r';
    if (unterminated > maxFrameBytes && !awaitsNewline) {
      fail();
      return;
    }
    if (start > 0 || data == chunk) {
      // The rest follows the chunk's last newline (or is the chunk itself): copying it costs at most the chunk.
      pending = data.getBuffer(start, data.length());
    } else {
      pending = data;
    }
  }

  /** Bytes searched for a line end so far: the work done, which is the bytes fed, never more. */
  long bytesExamined() {
    return bytesExamined;
  }

  private void fail() {
    failed = true;
    pending = Buffer.buffer();
    sink.tooLarge();
  }
}
