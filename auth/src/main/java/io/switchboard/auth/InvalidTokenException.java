package io.switchboard.auth;

/** A token the {@link TokenPolicy} refuses; the message says why and is meant for the client. */
public final class InvalidTokenException extends RuntimeException {

  InvalidTokenException(String message) {
    super(message, null, false, false);
  }
}
