package io.switchboard.rules;

/**
 * A message's text, with the readings content conditions need computed once per message rather than once per
 * rule that looks at it.
 */
final class MessageText {

  private final String raw;
  private String words;
  private Boolean closing;

  MessageText(String raw) {
    this.raw = raw;
  }

  /** As sent: what regexes see. */
  String raw() {
    return raw;
  }

  /** {@link Text#words}: what keywords are looked for in. */
  String words() {
    if (words == null) {
      words = Text.words(raw);
    }
    return words;
  }

  boolean isClosing() {
    if (closing == null) {
      closing = ClosingClass.isClosing(raw);
    }
    return closing;
  }
}
