package io.switchboard.gateway;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.LogIds;
import io.switchboard.contract.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TCP transport: one JSON frame per line. */
final class TcpConnection implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  private final NetSocket socket;
  private final OutboundBuffer outbound;
  private final ConnectionCounters counters;
  private final Session session;
  private boolean closed;

  TcpConnection(NetSocket socket, Gateway gateway) {
    this.socket = socket;
    this.outbound = new OutboundBuffer(gateway.options.maxOutboundBytes());
    this.counters = gateway.counters;
    this.session = gateway.newSession(this);
    int maxFrameBytes = gateway.options.maxFrameBytes();
    LineFramer framer = new LineFramer(maxFrameBytes, new LineFramer.Sink() {
      @Override
      public void frame(Buffer line) {
        if (!Utf8.isValid(line)) {
          session.refuse(ErrorCode.BAD_FRAME, "a frame must be valid UTF-8");
        } else {
          session.onFrame(line);
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
      // the session learns first, so that a reply waiting for room sees it closed
      session.onClosed();
      outbound.close();
    });
    socket.exceptionHandler(failure -> socket.close());
  }

  @Override
  public void send(JsonObject frame) {
    if (closed) {
      return;
    }
    Buffer line = JsonLines.encode(frame);
    if (!outbound.write(line.length(), socket.write(line))) {
      // An error frame would only join the unread ones: the connection just ends.
      counters.outboundOverflow();
      LogIds.log(() -> LOG.warn("closing TCP session {}: its client does not read what it is sent ({})",
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
    if (!closed) {
      closed = true;
      socket.end();
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
    // TCP clients keep the connection alive with their own ping frames.
  }

  @Override
  public SwitchboardMetrics.Transport transport() {
    return SwitchboardMetrics.Transport.TCP;
  }
}
