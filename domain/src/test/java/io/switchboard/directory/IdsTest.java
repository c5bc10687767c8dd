package io.switchboard.directory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an id is (docs/ADMIN-API.md): 1 to 128 characters, none of them white space or a control character. */
class IdsTest {

  /** The rule as documented; {@link Json#isId} checks it by hand, as ids are read on every routing. */
  private static final Pattern DOCUMENTED = Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");

  @ParameterizedTest
  @ValueSource(strings = {"anna", "help-desk", "ag.1@example.com", "顾客服务", "😀", "a/b:c"})
  void wordsWithoutSpacesAreIds(String id) {
    assertTrue(Json.isId(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "tab\there", "line\nbreak", "nul\u0000", "del\u007f", " leading"})
  void emptyTextSpacesAndControlCharactersAreNot(String text) {
    assertFalse(Json.isId(text));
  }

  @Test
  void lengthIsCountedInCharactersNotInUtf16Units() {
    assertTrue(Json.isId("x".repeat(128)));
    assertFalse(Json.isId("x".repeat(129)));
    // 128 emoji are 256 UTF-16 units and still 128 characters
    assertTrue(Json.isId("😀".repeat(128)));
    assertFalse(Json.isId("😀".repeat(129)));
  }

  @Test
  void agreesWithTheDocumentedPatternOnRandomText() {
    Random random = new Random(20261202);
    char[] alphabet = {'a', 'Z', '0', '-', ' ', '\t', '\n', '\u000b', '\f', '\r', '\u0000', '\u001f', '\u007f',
        '\u0080', '\u00a0', '\u2028', 'é', '\ud83d', '\ude00'};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(4) == 0 ? 120 + random.nextInt(20) : random.nextInt(6);
      for (int j = 0; j < length; j++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String candidate = text.toString();
      assertEquals(DOCUMENTED.matcher(candidate).matches(), Json.isId(candidate), () -> "for " + candidate.codePoints()
          .mapToObj(Integer::toHexString).toList());
    }
  }
}
