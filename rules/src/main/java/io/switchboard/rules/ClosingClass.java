package io.switchboard.rules;

import java.text.Normalizer;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in {@code closing} class: gratuitous end-of-conversation messages, the "Thanks", "yw" and "ttyl" that
 * the source patent wants kept from popping a window up (docs/RULES.md).
 *
 * <p>A message is a closing when, read as below, it consists only of these phrases (at least one), in any
 * number and order:
 * <ul>
 *   <li>English: thanks, thank you, thankyou, thanks a lot, thanks so much, thank you so much, thank you very much,
 *       thanks again, many thanks, much appreciated, appreciated, thx, thnx, thanx, tnx, tks, ty, tyvm, tysm,
 *       cheers, yw, you're welcome, youre welcome, you are welcome, np, no problem, no prob, no probs, no worries,
 *       ttyl, talk to you later, talk later, bye, bye bye, byebye, goodbye, good bye, bb, cya, see ya, see you,
 *       see you later, take care, have a nice day, have a good day, have a good one, ok, okay, okey, okie, k, kk,
 *       alright, all right, got it, noted, cool, great, perfect, sounds good</li>
 *   <li>German: danke, danke schön, dankeschön, danke sehr, danke dir, danke euch, vielen dank, vielen lieben dank,
 *       besten dank, herzlichen dank, tausend dank, bitte, bitte schön, bitteschön, gern geschehen, gerne, gern,
 *       kein problem, keine ursache, passt, alles klar, super, prima, tschüss, tschüs, tschau, ciao, bis dann,
 *       bis später, bis bald, bis morgen, mach's gut, schönen tag noch, auf wiedersehen</li>
 *   <li>French: merci, merci beaucoup, merci bien, merci infiniment, mille mercis, merci mille fois,
 *       je vous remercie, de rien, avec plaisir, pas de problème, pas de souci, pas de soucis,
 *       il n'y a pas de quoi, y a pas de quoi, d'accord, dac, parfait, au revoir, à plus, à plus tard, à bientôt,
 *       à demain, bonne journée, bonne soirée, bisous</li>
 *   <li>Spanish: gracias, muchas gracias, mil gracias, muchísimas gracias, gracias de nuevo, de nada,
 *       no hay problema, no hay de qué, con gusto, vale, perfecto, listo, entendido, adiós, hasta luego,
 *       hasta pronto, hasta mañana, nos vemos, chao, chau, cuídate</li>
 *   <li>Chinese (simplified and traditional): 谢谢, 谢谢你, 谢谢您, 谢啦, 谢了, 多谢, 感谢, 非常感谢, 謝謝, 謝謝你,
 *       謝謝您, 多謝, 感謝, 非常感謝, 不客气, 不客氣, 不用谢, 不用謝, 没事, 沒事, 没关系, 沒關係, 没问题, 沒問題,
 *       好, 好的, 好吧, 好滴, 嗯, 嗯嗯, 收到, 知道了, 明白, 明白了, 了解, 拜拜, 再见, 再見, 回头见, 回頭見, 晚安</li>
 *   <li>Italian: grazie, grazie mille, prego, a dopo, va bene; Portuguese: obrigado, obrigada, muito obrigado,
 *       muito obrigada, valeu, tchau, até logo; Japanese: ありがとう, ありがとうございます, どうも, 了解です, またね,
 *       じゃあね</li>
 *   <li>Emoji: 👍 👌 🙏 👋 ✌ ✅</li>
 * </ul>
 *
 * <p>How a message is read: compatibility-normalized (full-width letters are letters), accents and other marks
 * removed ("danke schon" is "danke schön", "adios" is "adiós"), lower-cased; white space, punctuation and symbols
 * other than the emoji above are gaps ("Thanks!!", "ok :)", "thanks 😊", "👍🏽"); a letter repeated three or more
 * times counts once ("byeee", "thanksss"). A phrase must end where a word ends, so "thanksgiving" is not
 * "thanks"; in scripts without spaces phrases may follow each other directly ("好的谢谢"). A message longer than
 * {@value #MAX_LENGTH} characters so read is never a closing: gratuitous messages are short.
 */
public final class ClosingClass {

  /** The phrases as listed above; {@link #isClosing} compares them in the same reading as the message. */
  public static final List<String> PHRASES = List.of(
      // English
      "thanks", "thank you", "thankyou", "thanks a lot", "thanks so much", "thank you so much", "thank you very much",
      "thanks again", "many thanks", "much appreciated", "appreciated", "thx", "thnx", "thanx", "tnx", "tks", "ty",
      "tyvm", "tysm", "cheers", "yw", "you're welcome", "youre welcome", "you are welcome", "np", "no problem",
      "no prob", "no probs", "no worries", "ttyl", "talk to you later", "talk later", "bye", "bye bye", "byebye",
      "goodbye", "good bye", "bb", "cya", "see ya", "see you", "see you later", "take care", "have a nice day",
      "have a good day", "have a good one", "ok", "okay", "okey", "okie", "k", "kk", "alright", "all right",
      "got it", "noted", "cool", "great", "perfect", "sounds good",
      // German
      "danke", "danke schön", "dankeschön", "danke sehr", "danke dir", "danke euch", "vielen dank",
      "vielen lieben dank", "besten dank", "herzlichen dank", "tausend dank", "bitte", "bitte schön", "bitteschön",
      "gern geschehen", "gerne", "gern", "kein problem", "keine ursache", "passt", "alles klar", "super", "prima",
      "tschüss", "tschüs", "tschau", "ciao", "bis dann", "bis später", "bis bald", "bis morgen", "mach's gut",
      "schönen tag noch", "auf wiedersehen",
      // French
      "merci", "merci beaucoup", "merci bien", "merci infiniment", "mille mercis", "merci mille fois",
      "je vous remercie", "de rien", "avec plaisir", "pas de problème", "pas de souci", "pas de soucis",
      "il n'y a pas de quoi", "y a pas de quoi", "d'accord", "dac", "parfait", "au revoir", "à plus", "à plus tard",
      "à bientôt", "à demain", "bonne journée", "bonne soirée", "bisous",
      // Spanish
      "gracias", "muchas gracias", "mil gracias", "muchísimas gracias", "gracias de nuevo", "de nada",
      "no hay problema", "no hay de qué", "con gusto", "vale", "perfecto", "listo", "entendido", "adiós",
      "hasta luego", "hasta pronto", "hasta mañana", "nos vemos", "chao", "chau", "cuídate",
      // Chinese, simplified and traditional
      "谢谢", "谢谢你", "谢谢您", "谢啦", "谢了", "多谢", "感谢", "非常感谢", "謝謝", "謝謝你", "謝謝您", "多謝", "感謝",
      "非常感謝", "不客气", "不客氣", "不用谢", "不用謝", "没事", "沒事", "没关系", "沒關係", "没问题", "沒問題",
      "好", "好的", "好吧", "好滴", "嗯", "嗯嗯", "收到", "知道了", "明白", "明白了", "了解", "拜拜", "再见", "再見",
      "回头见", "回頭見", "晚安",
      // Italian, Portuguese, Japanese
      "grazie", "grazie mille", "prego", "a dopo", "va bene",
      "obrigado", "obrigada", "muito obrigado", "muito obrigada", "valeu", "tchau", "até logo",
      "ありがとう", "ありがとうございます", "どうも", "了解です", "またね", "じゃあね",
      // Emoji
      "👍", "👌", "🙏", "👋", "✌", "✅");

  public static final int MAX_LENGTH = 200;

  private static final Pattern REPEATS = Pattern.compile("(.)\\1{2,}");
  /** Symbols that are phrases themselves; every other symbol is a gap. Computed before {@link #READ_PHRASES}. */
  private static final Set<Integer> PHRASE_SYMBOLS = PHRASES.stream().flatMapToInt(String::codePoints)
      .filter(ClosingClass::isSymbol).boxed().collect(Collectors.toUnmodifiableSet());
  private static final List<String> READ_PHRASES = PHRASES.stream().map(ClosingClass::read).distinct().toList();

  private ClosingClass() {
  }

  /** Whether {@code body} consists only of closing phrases (see the class comment). */
  public static boolean isClosing(String body) {
    // Reading is linear but allocates; a body this long cannot read as MAX_LENGTH characters of phrases.
    if (body.length() > 8 * MAX_LENGTH) {
      return false;
    }
    String text = read(body);
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      return false;
    }
    // reachable[i]: text[0, i) is phrases and gaps. Several phrases may match at one place ("bye" and
    // "bye bye"), so every reachable split is kept instead of the longest match.
    boolean[] reachable = new boolean[text.length() + 1];
    reachable[0] = true;
    for (int i = 0; i < text.length(); i++) {
      if (!reachable[i]) {
        continue;
      }
      if (text.charAt(i) == ' ') {
        reachable[i + 1] = true;
        continue;
      }
      for (String phrase : READ_PHRASES) {
        int end = i + phrase.length();
        if (text.startsWith(phrase, i) && Text.isBoundary(text, end)) {
          reachable[end] = true;
        }
      }
    }
    return reachable[text.length()];
  }

  /** The reading described in the class comment: phrases and messages alike, gaps as single spaces, trimmed. */
  static String read(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder(decomposed.length());
    boolean gap = false;
    for (int i = 0; i < decomposed.length(); ) {
      int codePoint = decomposed.codePointAt(i);
      i += Character.charCount(codePoint);
      int type = Character.getType(codePoint);
      // Accents, and the variation selectors that turn ✌ into the emoji ✌️
      if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
        continue;
      }
      if (isGap(codePoint)) {
        gap = out.length() > 0;
        continue;
      }
      if (gap) {
        out.append(' ');
        gap = false;
      }
      out.appendCodePoint(Character.toLowerCase(codePoint));
    }
    return REPEATS.matcher(out).replaceAll("$1");
  }

  private static boolean isGap(int codePoint) {
    if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
      return true;
    }
    return switch (Character.getType(codePoint)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
           Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
           Character.OTHER_PUNCTUATION, Character.FORMAT, Character.CONTROL -> true;
      default -> isSymbol(codePoint) && !PHRASE_SYMBOLS.contains(codePoint);
    };
  }

  private static boolean isSymbol(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }
}
