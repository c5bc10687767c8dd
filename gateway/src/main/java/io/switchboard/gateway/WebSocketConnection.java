package io.switchboard.gateway;

import io.switchboard.contract.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

/**
 * The WebSocket transport: one frame per text message. Fragmented messages are joined here so that the frame
 * limit counts the whole message and invalid UTF-8 is refused with {@code bad_frame}.
 */
final class WebSocketConnection implements Connection {

  private final ServerWebSocket socket;
  private final int maxFrameBytes;
  private final Session session;
  private Buffer message;
  private boolean binary;

  WebSocketConnection(ServerWebSocket socket, int maxFrameBytes, Gateway gateway) {
    this.socket = socket;
    this.maxFrameBytes = maxFrameBytes;
    this.session = gateway.newSession(this);
    socket.frameHandler(this::onFrame);
    socket.pongHandler(pong -> session.touch());
    socket.closeHandler(closed -> session.onClosed());
    socket.exceptionHandler(failure -> socket.close());
  }

  private void onFrame(WebSocketFrame frame) {
    session.touch();
    if (frame.isText() || frame.isBinary()) {
      // A fragment's buffer may be read-only: a message in several frames is joined in a buffer of its own.
      message = frame.isFinal() ? frame.binaryData() : Buffer.buffer().appendBuffer(frame.binaryData());
      binary = frame.isBinary();
    } else if (frame.isContinuation() && message != null) {
      message.appendBuffer(frame.binaryData());
    } else {
      return;
    }
    if (message.length() > maxFrameBytes) {
      message = null;
      session.refuse(ErrorCode.TOO_LARGE, "a frame is at most " + maxFrameBytes + " bytes");
      return;
    }
    if (!frame.isFinal()) {
      return;
    }
    Buffer complete = message;
    message = null;
    if (binary) {
      session.refuse(ErrorCode.BAD_FRAME, "binary frames are not accepted: send JSON in text frames");
      return;
    }
    String text = Utf8.decode(complete);
    if (text == null) {
      session.refuse(ErrorCode.BAD_FRAME, "a frame must be valid UTF-8");
    } else {
      session.onText(text);
    }
  }

  @Override
  public void send(JsonObject frame) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(frame.encode());
    }
  }

  @Override
  public void close(CloseReason reason) {
    if (!socket.isClosed()) {
      socket.close(reason.webSocketCode, reason.name().toLowerCase());
    }
  }

  @Override
  public void nudge() {
    if (!socket.isClosed()) {
      socket.writePing(Buffer.buffer());
    }
  }
}
