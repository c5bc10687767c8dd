package io.switchboard.rules;

import java.text.Normalizer;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How keywords and the closing class read text: one normal form and one idea of where a word ends, so that the
 * two content conditions agree on what "a whole word" is.
 */
final class Text {

  /**
   * Scripts written without spaces between words. A run of their letters holds many words, so a word may end
   * inside it: "谢谢" is found in "谢谢你" and "好的谢谢" is two closings. Everywhere else a word ends only
   * where a run of letters does.
   */
  private static final Set<Character.UnicodeScript> UNSPACED = Set.of(
      Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA,
      Character.UnicodeScript.THAI, Character.UnicodeScript.LAO, Character.UnicodeScript.KHMER,
      Character.UnicodeScript.MYANMAR, Character.UnicodeScript.TIBETAN);

  /** Unicode white space, including the no-break and ideographic spaces that phones insert. */
  private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private Text() {
  }

  /**
   * The form keywords and messages are compared in: composed (NFC), every run of white space one space, trimmed,
   * and case-folded character by character. A decomposed "schön", a doubled space or a capital reads like what
   * the user typed in a keyword. Folding keeps every character in its place (unlike {@code toLowerCase}, which
   * may change the length), so word boundaries are found in the folded text itself.
   */
  static String words(String text) {
    String spaced = SPACES.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" ").trim();
    char[] folded = spaced.toCharArray();
    for (int i = 0; i < folded.length; i++) {
      folded[i] = Character.toLowerCase(Character.toUpperCase(folded[i]));
    }
    return new String(folded);
  }

  /** Whether a word may end or begin at {@code index} of {@code text}. */
  static boolean isBoundary(String text, int index) {
    return index == 0 || index == text.length() || !joins(text.codePointBefore(index), text.codePointAt(index));
  }

  /** Whether two adjacent code points belong to one word. */
  private static boolean joins(int before, int after) {
    return isWordPart(before) && isWordPart(after) && !isUnspaced(before) && !isUnspaced(after);
  }

  /** Letters, digits and combining marks (the vowel signs of Devanagari, Thai, … are marks, not letters). */
  private static boolean isWordPart(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isLetterOrDigit(codePoint)
        || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean isUnspaced(int codePoint) {
    return UNSPACED.contains(Character.UnicodeScript.of(codePoint));
  }
}
