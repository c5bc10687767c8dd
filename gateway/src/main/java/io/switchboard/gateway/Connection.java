package io.switchboard.gateway;

import io.switchboard.contract.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One client connection, whatever its transport: where a {@link Session} writes frames. */
interface Connection {

  /**
   * Writes one frame. A client that does not read what it is sent makes its outbound buffer pass its bound:
   * then the connection is closed with {@link CloseReason#OUTBOUND_FULL} instead.
   */
  void send(JsonObject frame);

  /** Completes once the outbound buffer is at most half full, for replies sent as a series of frames. */
  Future<Void> room();

  /** Closes the connection after the frames already written; {@code reason} is for logs and WebSocket close frames. */
  void close(CloseReason reason);

  /** Stops reading from the client: what it sends waits in the transport (back-pressure). */
  void pauseReading();

  /** Reads from the client again. */
  void resumeReading();

  /** Nudges an idle client (a WebSocket ping; nothing on TCP, where only the client pings). */
  void nudge();

  SwitchboardMetrics.Transport transport();

  enum CloseReason {
    NORMAL((short) 1000, "normal"),
    POLICY((short) 1008, "policy"),
    AUTH_TIMEOUT((short) 1008, "authentication timed out"),
    OUTBOUND_FULL((short) 1008, "outbound buffer full"),
    TOO_LARGE((short) 1009, "too_large"),
    PROTOCOL_ERROR((short) 1002, "protocol error"),
    IDLE((short) 1001, "idle"),
    GOING_AWAY((short) 1001, "going away");

    final short webSocketCode;
    final String text;

    CloseReason(short webSocketCode, String text) {
      this.webSocketCode = webSocketCode;
      this.text = text;
    }
  }
}
