package io.switchboard.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * Strict UTF-8 (RFC 3629): a frame with a malformed byte sequence, an overlong form, a surrogate or a code point
 * past U+10FFFF is refused, never patched with replacement characters. Checked in place, so that a frame is
 * parsed from its bytes without first being copied and decoded into a string.
 */
final class Utf8 {

  private Utf8() {
  }

  /** Whether {@code bytes} are valid UTF-8. */
  static boolean isValid(Buffer bytes) {
    int length = bytes.length();
    int i = 0;
    while (i < length) {
      int lead = bytes.getByte(i) & 0xFF;
      if (lead < 0x80) {
        i++;
        continue;
      }
      int continuations;
      // the second byte's range excludes overlong forms (E0, F0), surrogates (ED) and code points past U+10FFFF (F4)
      int secondMin = 0x80;
      int secondMax = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        secondMin = lead == 0xE0 ? 0xA0 : 0x80;
        secondMax = lead == 0xED ? 0x9F : 0xBF;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        secondMin = lead == 0xF0 ? 0x90 : 0x80;
        secondMax = lead == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (i + continuations >= length) {
        return false;
      }
      int second = bytes.getByte(i + 1) & 0xFF;
      if (second < secondMin || second > secondMax) {
        return false;
      }
      for (int k = 2; k <= continuations; k++) {
        if ((bytes.getByte(i + k) & 0xC0) != 0x80) {
          return false;
        }
      }
      i += continuations + 1;
    }
    return true;
  }

  /** How many bytes {@code text} takes in UTF-8, without encoding it. */
  static int encodedLength(String text) {
    int bytes = text.length();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // 2 bytes below U+0800, 3 above; a surrogate pair is 4 bytes for its 2 chars
        bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return bytes;
  }
}
