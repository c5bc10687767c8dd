package io.switchboard.gateway;

import io.vertx.core.json.JsonObject;

/** One client connection, whatever its transport: where a {@link Session} writes frames. */
interface Connection {

  /** Writes one frame. */
  void send(JsonObject frame);

  /** Closes the connection after the frames already written; {@code reason} is for logs and WebSocket close frames. */
  void close(CloseReason reason);

  /** Nudges an idle client (a WebSocket ping; nothing on TCP, where only the client pings). */
  void nudge();

  enum CloseReason {
    NORMAL((short) 1000), POLICY((short) 1008), TOO_LARGE((short) 1009), IDLE((short) 1001);

    final short webSocketCode;

    CloseReason(short webSocketCode) {
      this.webSocketCode = webSocketCode;
    }
  }
}
