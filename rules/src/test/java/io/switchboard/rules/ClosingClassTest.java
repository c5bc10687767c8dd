package io.switchboard.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in closing class in each language it lists, and messages that only look like closings. */
class ClosingClassTest {

  @ParameterizedTest
  @ValueSource(strings = {"Thanks!", "thank you", "THX", "ty", "yw", "np", "ttyl", "bye", "bye bye", "cya", "ok",
      "ok 👍", "👍", "Ok, thanks!", "thanks a lot :)", "You're welcome!", "no worries", "k thx bye", "okay👍🏽",
      "Thanksss!!!", "byeee", "  ...thanks...  ", "Thank you so much, bye!", "thanks 😊", "✌️"})
  void english(String body) {
    assertTrue(ClosingClass.isClosing(body), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"danke", "Danke schön!", "danke schon", "Dankeschön", "Vielen Dank!", "bitte", "Tschüss",
      "alles klar, danke", "Mach's gut!"})
  void german(String body) {
    assertTrue(ClosingClass.isClosing(body), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"merci", "Merci beaucoup !", "de rien", "d'accord", "À bientôt", "merci, au revoir",
      "pas de problème"})
  void french(String body) {
    assertTrue(ClosingClass.isClosing(body), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gracias", "¡Muchas gracias!", "de nada", "vale", "adiós", "adios", "hasta luego",
      "ok, gracias"})
  void spanish(String body) {
    assertTrue(ClosingClass.isClosing(body), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"谢谢", "谢谢！", "好的", "好的，谢谢", "好的谢谢", "不客气", "拜拜", "謝謝", "收到", "嗯嗯"})
  void chinese(String body) {
    assertTrue(ClosingClass.isClosing(body), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grazie mille", "obrigado", "ありがとうございます", "ｏｋ", "ＯＫ！"})
  void otherLanguagesAndFullWidthLetters(String body) {
    assertTrue(ClosingClass.isClosing(body), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"thanks, but where is my order?", "Thanksgiving", "ok so when do you ship?",
      "okay, one more question", "thank you for nothing", "byebye2", "bye the way", "no", "yes", "sure",
      "danke, aber wo ist meine Bestellung?", "merci, mais ça ne marche pas", "gracias, pero ¿dónde está mi pedido?",
      "谢谢你的帮助，但是还有问题", "好的，明天几点？", "好人", "🙂", "", "   ", "!!!", "42", "ok 42"})
  void nearMissesAreNotClosings(String body) {
    assertFalse(ClosingClass.isClosing(body), body);
  }

  @Test
  void aLongMessageIsNeverAClosing() {
    assertTrue(ClosingClass.isClosing("thanks ".repeat(28)));
    assertFalse(ClosingClass.isClosing("thanks ".repeat(29)));
    assertFalse(ClosingClass.isClosing("thanks ".repeat(100_000)));
  }

  @Test
  void phrasesAndMessagesAreReadAlike() {
    assertEquals("you re welcome", ClosingClass.read("You’re  WELCOME!!"));
    assertEquals("danke schon", ClosingClass.read("Danke schön"));
    assertEquals("ok👍", ClosingClass.read("ok👍🏽"));
  }

  @Test
  void everyPhraseIsDocumentedInRulesMd() throws IOException {
    // Markdown wraps lines anywhere: compare with white space as single spaces.
    String rulesMd = Files.readString(Path.of("..", "docs", "RULES.md")).replaceAll("\\s+", " ");
    List<String> missing = ClosingClass.PHRASES.stream().filter(phrase -> !rulesMd.contains(phrase)).toList();
    assertEquals(List.of(), missing);
  }
}
