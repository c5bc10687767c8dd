package io.switchboard.client;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;

/** A TCP link: one JSON frame per line ending in {@code \n}. */
final class TcpLink implements Link {

  private static final Buffer NEWLINE = Buffer.buffer("\n");

  private final NetSocket socket;
  private boolean abandoned;
  private boolean ended;

  private TcpLink(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Connects. Called on the client's event loop, so the connection completes there and its handlers are set before
   * it reads anything.
   */
  static Future<Link> connect(NetClient client, ClientOptions options, Receiver receiver) {
    return client.connect(options.port(), options.host()).map(socket -> {
      TcpLink link = new TcpLink(socket);
      RecordParser lines = RecordParser.newDelimited(NEWLINE, line -> {
        if (!link.abandoned) {
          String text = line.toString(StandardCharsets.UTF_8);
          receiver.onText(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        }
      });
      lines.maxRecordSize(options.maxFrameBytes());
      // A line over the limit: the connection is given up like any broken one.
      lines.exceptionHandler(tooLong -> socket.close());
      socket.handler(lines);
      socket.exceptionHandler(failure -> socket.close());
      socket.closeHandler(closed -> {
        if (!link.abandoned && !link.ended) {
          link.ended = true;
          receiver.onEnd(0, "the connection ended");
        }
      });
      return link;
    });
  }

  @Override
  public void send(String text) {
    if (!abandoned) {
      socket.write(Buffer.buffer(text).appendBuffer(NEWLINE));
    }
  }

  @Override
  public void abandon() {
    abandoned = true;
    socket.close();
  }

  @Override
  public boolean needsKeepAlive() {
    return true;
  }
}
