package io.switchboard.gateway;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Splitting a TCP byte stream into frames, fed chunk by chunk as the socket would deliver it. */
class LineFramerTest {

  private static final int LIMIT = 8;
  private static final String TOO_LARGE = "<too large>";

  /** Each row: the chunks that arrive, and what the framer reports, in order ({@link #TOO_LARGE} for tooLarge()). */
  static Stream<Arguments> streams() {
    return Stream.of(
        arguments("one line", chunks("ping\n"), events("ping")),
        arguments("a line split across chunks", chunks("{\"a", "\":", "1}\n"), events("{\"a\":1}")),
        arguments("several lines in one chunk", chunks("a\nbb\nccc\n"), events("a", "bb", "ccc")),
        arguments("lines and a split one in one chunk", chunks("a\nb", "c\nd\n"), events("a", "bc", "d")),
        arguments("a line not yet ended waits", chunks("a\npartial"), events("a")),
        arguments("\\r\\n ends a line", chunks("a\r\nb\r\n"), events("a", "b")),
        arguments("\\r\\n split across chunks", chunks("a\r", "\nb\n"), events("a", "b")),
        arguments("empty lines are skipped", chunks("\n\r\na\n\n", "\r\n"), events("a")),
        arguments("a line of exactly the limit", chunks("12345678\n"), events("12345678")),
        arguments("a line of exactly the limit, ended by \\r\\n", chunks("12345678\r\n"), events("12345678")),
        arguments("a line of exactly the limit, its \\r\\n split", chunks("12345678\r", "\n"), events("12345678")),
        arguments("a \\r not followed by \\n is part of the line", chunks("12345678\r", "x\n"), events(TOO_LARGE)),
        arguments("a line of exactly the limit, in pieces", chunks("1234", "5678", "\n"), events("12345678")),
        arguments("one byte over the limit", chunks("123456789\n", "ok\n"), events(TOO_LARGE)),
        arguments("the limit counts bytes, not characters", chunks("ééééé\n"), events(TOO_LARGE)),
        arguments("lines before an oversized one still count", chunks("ok\n123456789\nlate\n"),
            events("ok", TOO_LARGE)),
        arguments("an unterminated run over the limit is refused before its newline",
            chunks("12345", "6789"), events(TOO_LARGE)),
        arguments("nothing is framed after a refusal", chunks("123456789", "\n", "ok\n", "1234567890\n"),
            events(TOO_LARGE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void framesLines(String name, List<String> chunks, List<String> expected) {
    List<String> reported = new ArrayList<>();
    LineFramer framer = new LineFramer(LIMIT, new LineFramer.Sink() {
      @Override
      public void frame(Buffer line) {
        reported.add(line.toString());
      }

      @Override
      public void tooLarge() {
        reported.add(TOO_LARGE);
      }
    });

    chunks.forEach(chunk -> framer.feed(Buffer.buffer(chunk)));

    assertEquals(expected, reported);
  }

  /** Before, each chunk re-scanned and re-copied the whole pending line: 60 KB dripped took about 4 s of CPU. */
  @Test
  void aLongLineDrippedByteByByteIsScannedOnce() {
    int length = 60_000;
    List<Buffer> frames = new ArrayList<>();
    LineFramer framer = new LineFramer(65_536, new LineFramer.Sink() {
      @Override
      public void frame(Buffer line) {
        frames.add(line);
      }

      @Override
      public void tooLarge() {
        throw new AssertionError("a line within the limit");
      }
    });
    Buffer oneByte = Buffer.buffer("x");
    for (int i = 0; i < length; i++) {
      framer.feed(oneByte);
    }
    framer.feed(Buffer.buffer("\n"));
    assertEquals(1, frames.size());
    assertEquals(length, frames.get(0).length());
    assertEquals(length + 1, framer.bytesExamined(), "each byte is looked at once");
  }

  private static List<String> chunks(String... chunks) {
    return List.of(chunks);
  }

  private static List<String> events(String... events) {
    return List.of(events);
  }
}
