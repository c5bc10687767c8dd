package io.switchboard.client;

/** Where a client is in its life. */
public enum ClientState {
  /** Not connected yet. */
  IDLE,
  /** A connection attempt is under way, until {@code ready}. */
  CONNECTING,
  /** Authenticated: requests go out at once. */
  READY,
  /** The connection was lost; the next attempt is scheduled. */
  WAITING,
  /** Closed by the app, or stopped by a failure that retrying cannot mend (a refused token). */
  CLOSED
}
