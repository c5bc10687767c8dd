package io.switchboard.gateway;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes what turns bytes into frames: {@link LineFramer} on arbitrary bytes in arbitrary chunks, {@link Utf8} on
 * arbitrary bytes, {@link Frames#parse} on arbitrary text. Tries per property: {@code -Dfuzz.tries}
 * (docs/TESTING.md).
 */
class FramingFuzzTest {

  private static final String TOO_LARGE = "<too large>";

  // --- LineFramer

  @Property
  void framesAreTheLinesOfTheStreamWhateverItsChunks(@ForAll("streams") byte[] stream,
                                                     @ForAll @Size(max = 12) List<@IntRange(max = 12) Integer> cuts,
                                                     @ForAll @IntRange(min = 1, max = 12) int limit) {
    List<String> expected = lines(stream, limit);
    assertEquals(expected, frame(limit, chunks(stream, cuts)));
    assertEquals(expected, frame(limit, List.of(stream)));
  }

  @Property
  void everyByteInItsOwnChunkFramesTheSame(@ForAll("streams") byte[] stream,
                                           @ForAll @IntRange(min = 1, max = 12) int limit) {
    List<byte[]> bytes = new ArrayList<>();
    for (byte b : stream) {
      bytes.add(new byte[] {b});
    }
    assertEquals(lines(stream, limit), frame(limit, bytes));
  }

  /** Bytes rich in line ends, so that lines of every length around the limit occur. */
  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<Byte> item = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just((byte) '\n')),
        Tuple.of(3, Arbitraries.just((byte) '\r')),
        Tuple.of(6, Arbitraries.just((byte) 'a')),
        Tuple.of(2, Arbitraries.bytes()));
    return item.list().ofMaxSize(60).map(list -> {
      byte[] bytes = new byte[list.size()];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = list.get(i);
      }
      return bytes;
    });
  }

  /**
   * What PROTOCOL.md says of a TCP stream, read whole: one frame per line ending in {@code \n}, a {@code \r}
   * before it dropped, empty lines skipped; the first line over the limit, ended or not, is too large and ends
   * the stream, except an unended one of the limit and a {@code \r} that its {@code \n} may still follow.
   */
  private static List<String> lines(byte[] stream, int limit) {
    List<String> events = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < stream.length; i++) {
      if (stream[i] == '\n') {
        int end = i > start && stream[i - 1] == '\r' ? i - 1 : i;
        if (end - start > limit) {
          events.add(TOO_LARGE);
          return events;
        }
        if (end > start) {
          events.add(HexFormat.of().formatHex(stream, start, end));
        }
        start = i + 1;
      }
    }
    int rest = stream.length - start;
    if (rest > limit && !(rest == limit + 1 && stream[stream.length - 1] == '\r')) {
      events.add(TOO_LARGE);
    }
    return events;
  }

  private static List<byte[]> chunks(byte[] stream, List<Integer> cuts) {
    List<byte[]> chunks = new ArrayList<>();
    int at = 0;
    for (int size : cuts) {
      int end = Math.min(stream.length, at + size);
      chunks.add(Arrays.copyOfRange(stream, at, end));
      at = end;
    }
    chunks.add(Arrays.copyOfRange(stream, at, stream.length));
    return chunks;
  }

  private static List<String> frame(int limit, List<byte[]> chunks) {
    List<String> events = new ArrayList<>();
    LineFramer framer = new LineFramer(limit, new LineFramer.Sink() {
      @Override
      public void frame(Buffer line) {
        assertTrue(line.length() > 0 && line.length() <= limit, () -> "a frame of " + line.length() + " bytes");
        events.add(HexFormat.of().formatHex(line.getBytes()));
      }

      @Override
      public void tooLarge() {
        events.add(TOO_LARGE);
      }
    });
    chunks.forEach(chunk -> framer.feed(Buffer.buffer(chunk)));
    return events;
  }

  // --- Utf8

  @Property
  void utf8IsRefusedExactlyWhenTheJdkFindsItMalformed(@ForAll("utf8ish") byte[] bytes) {
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    boolean valid = Arrays.equals(bytes, lenient.getBytes(StandardCharsets.UTF_8));
    assertEquals(valid, Utf8.isValid(Buffer.buffer(bytes)));
  }

  /** Encoded text, cut and changed here and there, and plain arbitrary bytes. */
  @Provide
  Arbitrary<byte[]> utf8ish() {
    Arbitrary<byte[]> encoded = Arbitraries.strings().all().ofMaxLength(12)
        .map(text -> text.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> changed = Combinators.combine(encoded, Arbitraries.integers().between(0, 40),
        Arbitraries.bytes()).as((bytes, at, value) -> {
          byte[] copy = bytes.clone();
          if (copy.length > 0) {
            copy[at % copy.length] = value;
          }
          return copy;
        });
    Arbitrary<byte[]> cut = Combinators.combine(encoded, Arbitraries.integers().between(0, 40))
        .as((bytes, at) -> Arrays.copyOf(bytes, bytes.length == 0 ? 0 : at % bytes.length));
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
    Arbitrary<byte[]> special = Arbitraries.of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    return Arbitraries.oneOf(encoded, changed, cut, raw, special);
  }

  // --- Frames.parse

  @Property
  void anyTextIsAFrameOrABadFrame(@ForAll("texts") String text) {
    JsonObject frame;
    try {
      frame = Frames.parse(Buffer.buffer(text));
    } catch (SwitchboardException refused) {
      assertEquals(ErrorCode.BAD_FRAME, refused.code());
      return;
    }
    assertInstanceOf(String.class, frame.getValue("type"));
    Object id = frame.getValue("id");
    assertTrue(id == null || id instanceof String, () -> "id " + id);
    // written back, as a reply echoes it, it reads as the same request (numbers such as 1e999 may not survive)
    JsonObject again = Frames.parse(frame.toBuffer());
    assertEquals(frame.getValue("type"), again.getValue("type"));
    assertEquals(id, again.getValue("id"));
  }

  /** JSON, JSON cut or changed in one place, and arbitrary text. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> json = frameLike().map(JsonObject::encode);
    Arbitrary<String> cut = Combinators.combine(json, Arbitraries.integers().between(0, 200))
        .as((text, at) -> text.substring(0, at % (text.length() + 1)));
    Arbitrary<String> changed = Combinators.combine(json, Arbitraries.integers().between(0, 200),
        Arbitraries.of('"', '{', '}', '[', ']', ',', ':', '\\', '0', 'e', '\u0000', '\ud800', ' '))
        .as((text, at, c) -> {
          int i = at % (text.length() + 1);
          return text.substring(0, i) + c + text.substring(i);
        });
    Arbitrary<String> deep = Arbitraries.integers().between(990, 1010)
        .map(depth -> "{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
    Arbitrary<String> numbers = Arbitraries.of("1e999999999", "-0", "1".repeat(1001), "0.".concat("1".repeat(2000)))
        .map(number -> "{\"type\":\"ping\",\"id\":\"n\",\"x\":" + number + "}");
    return Arbitraries.oneOf(json, cut, changed, deep, numbers, Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("", "null", "[]", "42", "\"ping\"", "{}", "{\"type\":null}", "{\"type\":\"ping\"} {}",
            "{\"type\":\"ping\",\"type\":1}"));
  }

  private static Arbitrary<JsonObject> frameLike() {
    Arbitrary<Object> type = Arbitraries.oneOf(Arbitraries.of("ping", "auth", "send", "").map(Object.class::cast),
        value(1));
    Arbitrary<Object> id = Arbitraries.oneOf(Arbitraries.of("r1", "").map(Object.class::cast), value(1));
    return Combinators.combine(type.injectNull(0.1), id.injectNull(0.3),
            Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), value(2)).ofMaxSize(3))
        .as((typeValue, idValue, rest) -> {
          JsonObject frame = new JsonObject(new LinkedHashMap<>(rest));
          if (typeValue != null) {
            frame.put("type", typeValue);
          }
          if (idValue != null) {
            frame.put("id", idValue);
          }
          return frame;
        });
  }

  private static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(Object.class::cast),
        Arbitraries.integers().map(Object.class::cast), Arbitraries.longs().map(Object.class::cast),
        Arbitraries.doubles().map(Object.class::cast), Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.just(null));
    if (depth == 0) {
      return leaf;
    }
    return Arbitraries.oneOf(leaf,
        value(depth - 1).list().ofMaxSize(3).map(items -> new JsonArray(new ArrayList<>(items))),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), value(depth - 1)).ofMaxSize(3)
            .map(map -> new JsonObject(new LinkedHashMap<>(map))));
  }
}
