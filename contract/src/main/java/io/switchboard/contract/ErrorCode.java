package io.switchboard.contract;

import java.util.Locale;

/**
 * The protocol's error codes (PROTOCOL.md §Errors); the only kind of failure modules report to each other. Each
 * has a fixed event-bus failure code of its own, so nodes of different builds agree whatever the order here.
 */
public enum ErrorCode {
  BAD_FRAME(4000, false),
  UNKNOWN_TYPE(4001, false),
  UNAUTHENTICATED(4002, true),
  FORBIDDEN(4003, false),
  NOT_FOUND(4004, false),
  UNAVAILABLE(4005, false),
  TIMEOUT(4006, false),
  GONE(4007, false),
  RATE_LIMITED(4008, false),
  TOO_LARGE(4009, true),
  STORE_UNAVAILABLE(4010, false),
  INTERNAL(4011, false),
  /** The source withdrew its waiting open ({@code cancel}). */
  CANCELLED(4012, false);

  private final int failureCode;
  private final boolean closesConnection;
  private final String wire;

  ErrorCode(int failureCode, boolean closesConnection) {
    this.failureCode = failureCode;
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
    return failureCode;
  }

  /** The code a {@code failureCode} stands for, or {@link #INTERNAL} for one that is not ours. */
  public static ErrorCode ofFailureCode(int failureCode) {
    for (ErrorCode code : values()) {
      if (code.failureCode == failureCode) {
        return code;
      }
    }
    return INTERNAL;
  }

  /** The code written {@code wire} on the wire, or {@link #INTERNAL} for one that is not ours. */
  public static ErrorCode ofWire(String wire) {
    for (ErrorCode code : values()) {
      if (code.wire.equals(wire)) {
        return code;
      }
    }
    return INTERNAL;
  }
}
