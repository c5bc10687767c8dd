package io.switchboard.rules;

/**
 * A message's text, with the readings content conditions need computed once per message rather than once per
 * rule that looks at it. Keywords and regexes read only the first {@code window} characters ({@link ContentCost}).
 */
final class MessageText {

  private final String raw;
  private final String read;
  private String words;
  /** Per index of {@link #words}: 0 not yet known, else whether a word may end or begin there. */
  private byte[] boundaries;
  private Boolean closing;

  MessageText(String raw, int window) {
    this.raw = raw;
    this.read = prefix(raw, window);
  }

  /** The first {@code window} characters, one fewer where the last would split a surrogate pair. */
  private static String prefix(String text, int window) {
    if (text.length() <= window) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(window - 1)) ? window - 1 : window;
    return text.substring(0, end);
  }

  /** As sent, up to the window: what regexes see. */
  String read() {
    return read;
  }

  /** {@link Text#words} of {@link #read}: what keywords are looked for in. */
  String words() {
    if (words == null) {
      words = Text.words(read);
    }
    return words;
  }

  /**
   * Whether {@code keyword}, in its {@link Text#words} form, occurs in {@link #words} and not inside a word: the
   * characters just outside it must not continue a word it starts or ends with ("order" is not found in
   * "reorder" or "order42", "привет" is found in "Привет!", "#urgent" is found in "re:#urgent").
   */
  boolean containsWord(String keyword) {
    String text = words();
    for (int at = text.indexOf(keyword); at >= 0; at = text.indexOf(keyword, at + 1)) {
      if (isBoundary(text, at) && isBoundary(text, at + keyword.length())) {
        return true;
      }
    }
    return false;
  }

  /** {@link Text#isBoundary}, remembered: many keywords may be found at the same places of one message. */
  private boolean isBoundary(String text, int index) {
    if (boundaries == null) {
      boundaries = new byte[text.length() + 1];
    }
    if (boundaries[index] == 0) {
      boundaries[index] = Text.isBoundary(text, index) ? (byte) 1 : (byte) 2;
    }
    return boundaries[index] == 1;
  }

  /** The closing class reads the whole message: it has a length limit of its own. */
  boolean isClosing() {
    if (closing == null) {
      closing = ClosingClass.isClosing(raw);
    }
    return closing;
  }
}
