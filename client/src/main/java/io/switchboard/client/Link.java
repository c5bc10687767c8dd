package io.switchboard.client;

/** One connection to a node, WebSocket or TCP: text frames out, text frames in, and its end. */
interface Link {

  /** What a link reports, on the client's event loop. */
  interface Receiver {
    void onText(String text);

    /** The connection ended: a WebSocket close code (1006 without one), or 0 for TCP. */
    void onEnd(int code, String reason);
  }

  void send(String text);

  /** Drops the connection without waiting for the other side; nothing more is reported. */
  void abandon();

  /** Whether the server needs to hear from the client to keep it: TCP does; a WebSocket answers server pings itself. */
  boolean needsKeepAlive();
}
