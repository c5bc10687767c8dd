package io.switchboard.contract;

import java.util.Locale;

/** The protocol's error codes (PROTOCOL.md §Errors); the only kind of failure modules report to each other. */
public enum ErrorCode {
  BAD_FRAME(false),
  UNKNOWN_TYPE(false),
  UNAUTHENTICATED(true),
  FORBIDDEN(false),
  NOT_FOUND(false),
  UNAVAILABLE(false),
  TIMEOUT(false),
  GONE(false),
  RATE_LIMITED(false),
  TOO_LARGE(true),
  STORE_UNAVAILABLE(false),
  INTERNAL(false);

  /** Event-bus failure codes start here, clear of the small numbers other code may use. */
  private static final int FAILURE_CODE_BASE = 4000;

  private final boolean closesConnection;
  private final String wire;

  ErrorCode(boolean closesConnection) {
    this.closesConnection = closesConnection;
    this.wire = name().toLowerCase(Locale.ROOT);
  }

  /** The code as written on the wire, e.g. {@code not_found}. */
  public String wire() {
    return wire;
  }

  /** Whether the protocol closes the connection after sending this error. */
  public boolean closesConnection() {
    return closesConnection;
  }

  /** The {@code failureCode} of a {@link io.vertx.core.eventbus.ReplyException} that carries this code. */
  public int failureCode() {
    return FAILURE_CODE_BASE + ordinal();
  }

  /** The code a {@code failureCode} stands for, or {@link #INTERNAL} for one that is not ours. */
  public static ErrorCode ofFailureCode(int failureCode) {
    int index = failureCode - FAILURE_CODE_BASE;
    ErrorCode[] codes = values();
    return index >= 0 && index < codes.length ? codes[index] : INTERNAL;
  }
}
