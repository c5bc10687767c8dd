package io.switchboard.gateway;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.LogIds;
import io.switchboard.contract.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport: one frame per text message. Fragmented messages are joined here so that the frame
 * limit counts the whole message and invalid UTF-8 is refused with {@code bad_frame}.
 */
final class WebSocketConnection implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

  private final ServerWebSocket socket;
  private final int maxFrameBytes;
  private final OutboundBuffer outbound;
  private final ConnectionCounters counters;
  private final Session session;
  private Buffer message;
  private boolean binary;
  private boolean closing;

  WebSocketConnection(ServerWebSocket socket, Gateway gateway) {
    this.socket = socket;
    this.maxFrameBytes = gateway.options.maxFrameBytes();
    this.outbound = new OutboundBuffer(gateway.options.maxOutboundBytes());
    this.counters = gateway.counters;
    this.session = gateway.newSession(this);
    socket.frameHandler(this::onFrame);
    socket.pongHandler(pong -> session.touch());
    socket.closeHandler(closed -> {
      // the session learns first, so that a reply waiting for room sees it closed
      session.onClosed();
      outbound.close();
    });
    socket.exceptionHandler(this::onFailure);
  }

  /** A frame the WebSocket layer could not take (e.g. one over 4 x the frame limit): closed with its status. */
  private void onFailure(Throwable failure) {
    if (closing || socket.isClosed()) {
      return;
    }
    closing = true;
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      LOG.debug("WebSocket session {}: {}", session.id(), failure.getMessage());
      socket.close((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
    } else {
      LOG.debug("WebSocket session {} failed", session.id(), failure);
      socket.close(CloseReason.PROTOCOL_ERROR.webSocketCode, CloseReason.PROTOCOL_ERROR.text);
    }
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
    if (!Utf8.isValid(complete)) {
      session.refuse(ErrorCode.BAD_FRAME, "a frame must be valid UTF-8");
    } else {
      session.onFrame(complete);
    }
  }

  @Override
  public void send(JsonObject frame) {
    if (closing || socket.isClosed()) {
      return;
    }
    String text = frame.encode();
    if (!outbound.write(Utf8.encodedLength(text), socket.writeTextMessage(text))) {
      counters.outboundOverflow();
      LogIds.log(() -> LOG.warn("closing WebSocket session {}: its client does not read what it is sent ({})",
          session.id(), CloseReason.OUTBOUND_FULL.text), LogIds.SESSION, session.id(), LogIds.USER, session.user());
      close(CloseReason.OUTBOUND_FULL);
    }
  }

  @Override
  public Future<Void> room() {
    return outbound.room();
  }

  @Override
  public void close(CloseReason reason) {
    if (!closing && !socket.isClosed()) {
      closing = true;
      socket.close(reason.webSocketCode, reason.text);
    }
  }

  @Override
  public void pauseReading() {
    socket.pause();
  }

  @Override
  public void resumeReading() {
    socket.resume();
  }

  @Override
  public void nudge() {
    if (!closing && !socket.isClosed()) {
      socket.writePing(Buffer.buffer());
    }
  }

  @Override
  public SwitchboardMetrics.Transport transport() {
    return SwitchboardMetrics.Transport.WEBSOCKET;
  }
}
