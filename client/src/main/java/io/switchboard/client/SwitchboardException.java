package io.switchboard.client;

/**
 * A refused or failed request: {@link #code()} is one of the protocol's error codes (docs/PROTOCOL.md § Errors, e.g.
 * {@code not_found}, {@code gone}) or one the client detects itself (the constants below).
 */
public final class SwitchboardException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** No reply within the request's deadline (the server may still have acted on it). */
  public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
  /** The connection was lost after the request was sent: it may or may not have been handled. */
  public static final String DISCONNECTED = "disconnected";
  /** Too many requests wait for the connection to come back. */
  public static final String QUEUE_FULL = "queue_full";
  /** The client was closed, or stopped reconnecting. */
  public static final String CLOSED = "closed";
  /** The server speaks another protocol version, or sent something that is not a frame. */
  public static final String PROTOCOL = "protocol";

  private final String code;
  private final String requestId;

  public SwitchboardException(String code, String message, String requestId) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }

  public String code() {
    return code;
  }

  /** The id of the request it answers, or null. */
  public String requestId() {
    return requestId;
  }

  @Override
  public String toString() {
    return "SwitchboardException[" + code + "]: " + getMessage();
  }
}
