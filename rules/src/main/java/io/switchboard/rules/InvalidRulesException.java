package io.switchboard.rules;

/**
 * A rules document that cannot be accepted. The message is {@code <path>: <problem>}, e.g.
 * {@code rules[1].when.time.from: "25:00" is not a time HH:mm}, so the user can find the field; the API answers
 * it with 400 and the protocol with {@code bad_frame}.
 */
public final class InvalidRulesException extends IllegalArgumentException {

  private final String path;

  public InvalidRulesException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
  }

  /** Where in the document the problem is, e.g. {@code rules[1].when.time.from}. */
  public String path() {
    return path;
  }
}
