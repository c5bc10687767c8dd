package io.switchboard.gateway;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading client frames (PROTOCOL.md §Frames), strict UTF-8, and the per-connection rate limit. */
class FramesTest {

  // --- Frames.parse

  @Test
  void parsesAFrameWithTypeAndId() {
    assertEquals(new JsonObject().put("type", "ping").put("id", "p").put("extra", 1),
        Frames.parse(Buffer.buffer("{\"type\":\"ping\",\"id\":\"p\",\"extra\":1}")));
  }

  @Test
  void theIdIsOptional() {
    assertEquals(new JsonObject().put("type", "ping"), Frames.parse(Buffer.buffer("{\"type\":\"ping\"}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json", "", "{\"type\":\"ping\"", "{\"type\":\"ping\"} trailing",
      "[{\"type\":\"ping\"}]", "\"ping\"", "42", "null",
      "{}", "{\"id\":\"p\"}", "{\"type\":1}", "{\"type\":null}", "{\"type\":[\"ping\"]}",
      "{\"type\":\"ping\",\"id\":7}", "{\"type\":\"ping\",\"id\":{\"v\":\"p\"}}", "{\"type\":\"ping\",\"id\":true}"})
  void refusesAnythingButAnObjectWithAStringTypeAsBadFrame(String text) {
    SwitchboardException refused = assertThrows(SwitchboardException.class, () -> Frames.parse(Buffer.buffer(text)));

    assertEquals(ErrorCode.BAD_FRAME, refused.code());
  }

  @Test
  void deeplyNestedJsonIsABadFrameNotACrash() {
    String nested = "{\"type\":\"ping\",\"x\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";

    assertEquals(ErrorCode.BAD_FRAME, assertThrows(SwitchboardException.class, () -> Frames.parse(Buffer.buffer(nested))).code());
  }

  @Test
  void refusesJsonInAnotherEncodingThanUtf8() {
    Buffer utf16 = Buffer.buffer("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_16LE));

    assertEquals(ErrorCode.BAD_FRAME, assertThrows(SwitchboardException.class, () -> Frames.parse(utf16)).code());
  }

  // --- Utf8.isValid

  @Test
  void acceptsValidMultiByteText() {
    String text = "{\"body\":\"héllo 书店 €1 𝄞\"}";

    assertTrue(Utf8.isValid(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"C3 28", "E2 82", "C0 AF", "ED A0 80", "FF", "7B 80 7D"})
  void refusesInvalidUtf8(String hex) {
    assertFalse(Utf8.isValid(bytes(hex)));
  }

  // --- RateLimiter

  private static final int PER_SECOND = 5;
  private static final long START = 1_000_000L;

  @Test
  void allowsABurstOfPerSecondFramesThenRefuses() {
    RateLimiter limiter = new RateLimiter(PER_SECOND, START);

    assertEquals(PER_SECOND, allowed(limiter, START, PER_SECOND + 3));
  }

  @Test
  void allowsAgainAsTimePasses() {
    RateLimiter limiter = new RateLimiter(PER_SECOND, START);
    allowed(limiter, START, PER_SECOND);

    long halfAFrame = 1000 / PER_SECOND / 2;
    assertFalse(limiter.tryAcquire(START + halfAFrame), "half a frame's time is not enough");
    assertTrue(limiter.tryAcquire(START + 3 * halfAFrame), "one frame's time has passed");
    assertFalse(limiter.tryAcquire(START + 3 * halfAFrame));
    assertEquals(PER_SECOND, allowed(limiter, START + 3 * halfAFrame + 1000, PER_SECOND + 3));
  }

  @Test
  void aLongSilenceSavesNoMoreThanOneSecondsWorth() {
    RateLimiter limiter = new RateLimiter(PER_SECOND, START);
    allowed(limiter, START, PER_SECOND);

    assertEquals(PER_SECOND, allowed(limiter, START + 60_000, PER_SECOND * 10));
  }

  /** How many of {@code attempts} frames at the same instant the limiter lets through. */
  private static int allowed(RateLimiter limiter, long now, int attempts) {
    return (int) IntStream.range(0, attempts).filter(i -> limiter.tryAcquire(now)).count();
  }

  private static Buffer bytes(String hex) {
    Buffer buffer = Buffer.buffer();
    for (String b : hex.split(" ")) {
      buffer.appendByte((byte) Integer.parseInt(b, 16));
    }
    return buffer;
  }
}
