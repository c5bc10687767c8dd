package io.switchboard.gateway;

import io.switchboard.contract.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

/** The TCP transport: one JSON frame per line. */
final class TcpConnection implements Connection {

  private static final Buffer NEWLINE = Buffer.buffer("\n");

  private final NetSocket socket;
  private final Session session;
  private boolean closed;

  TcpConnection(NetSocket socket, int maxFrameBytes, Gateway gateway) {
    this.socket = socket;
    this.session = gateway.newSession(this);
    LineFramer framer = new LineFramer(maxFrameBytes, new LineFramer.Sink() {
      @Override
      public void frame(Buffer line) {
        String text = Utf8.decode(line);
        if (text == null) {
          session.refuse(ErrorCode.BAD_FRAME, "a frame must be valid UTF-8");
        } else {
          session.onText(text);
        }
      }

      @Override
      public void tooLarge() {
        session.refuse(ErrorCode.TOO_LARGE, "a frame is at most " + maxFrameBytes + " bytes");
      }
    });
    socket.handler(chunk -> {
      session.touch();
      framer.feed(chunk);
    });
    socket.closeHandler(done -> {
      closed = true;
      session.onClosed();
    });
    socket.exceptionHandler(failure -> socket.close());
  }

  @Override
  public void send(JsonObject frame) {
    if (!closed) {
      socket.write(frame.toBuffer().appendBuffer(NEWLINE));
    }
  }

  @Override
  public void close(CloseReason reason) {
    if (!closed) {
      closed = true;
      socket.end();
    }
  }

  @Override
  public void nudge() {
    // TCP clients keep the connection alive with their own ping frames.
  }
}
