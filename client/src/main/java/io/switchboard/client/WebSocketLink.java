package io.switchboard.client;

import io.vertx.core.Future;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/** A WebSocket link: one frame per text message. */
final class WebSocketLink implements Link {

  /** The close code of a connection that ended without a close frame. */
  static final int ABNORMAL = 1006;

  private final ClientWebSocket socket;
  private boolean abandoned;

  private WebSocketLink(ClientWebSocket socket) {
    this.socket = socket;
  }

  /** Connects; the receiver's handlers are set before connecting so that not even the hello can be missed. */
  static Future<Link> connect(WebSocketClient client, ClientOptions options, Receiver receiver) {
    ClientWebSocket socket = client.webSocket();
    WebSocketLink link = new WebSocketLink(socket);
    socket.textMessageHandler(text -> {
      if (!link.abandoned) {
        receiver.onText(text);
      }
    });
    socket.closeHandler(closed -> {
      if (!link.abandoned) {
        Short code = socket.closeStatusCode();
        receiver.onEnd(code == null ? ABNORMAL : code, socket.closeReason() == null ? "" : socket.closeReason());
      }
    });
    // A frame over the size limit or a broken connection: the socket is closed and closeHandler reports it.
    socket.exceptionHandler(failure -> {
      if (!socket.isClosed()) {
        socket.close();
      }
    });
    WebSocketConnectOptions target = new WebSocketConnectOptions().setHost(options.host()).setPort(options.port())
        .setURI(options.path()).setSsl(options.ssl());
    return socket.connect(target).map(link);
  }

  @Override
  public void send(String text) {
    if (!abandoned && !socket.isClosed()) {
      socket.writeTextMessage(text);
    }
  }

  @Override
  public void abandon() {
    abandoned = true;
    if (!socket.isClosed()) {
      socket.close();
    }
  }

  @Override
  public boolean needsKeepAlive() {
    return false;
  }
}
