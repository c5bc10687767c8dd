package io.switchboard.bench;

/**
 * A request that did not get the reply it wanted: the server's error {@code code}, or one of the bench's own
 * ({@code disconnected}, {@code client_timeout}, {@code unexpected_reply}). Carries no stack trace: it is
 * counted, not debugged.
 */
final class ProtocolError extends RuntimeException {

  static final String DISCONNECTED = "disconnected";
  static final String CLIENT_TIMEOUT = "client_timeout";
  static final String UNEXPECTED_REPLY = "unexpected_reply";

  private final String code;

  ProtocolError(String code, String message) {
    super(code + ": " + message, null, false, false);
    this.code = code;
  }

  String code() {
    return code;
  }

  /** The code to count a failure under: the protocol's code, or the exception's class for anything else. */
  static String codeOf(Throwable failure) {
    return failure instanceof ProtocolError error ? error.code() : failure.getClass().getSimpleName();
  }
}
