package io.switchboard.client;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP proxy in front of a node. {@link #cut()} drops every connection at once, as a network failure or a
 * load balancer would; {@link #freeze()} stops forwarding (connections stay open and nothing arrives), as a node
 * that hangs would look.
 */
final class Proxy {

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> sockets = new ArrayList<>();
  /** Client connections whose node side ended while frozen. */
  private final List<NetSocket> orphans = new ArrayList<>();
  private Context context;
  private boolean frozen;

  private Proxy(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createNetServer();
    this.client = vertx.createNetClient();
  }

  static Proxy start(Vertx vertx, int targetPort) {
    Proxy proxy = new Proxy(vertx);
    Promise<Void> listening = Promise.promise();
    vertx.runOnContext(nothing -> {
      proxy.context = Vertx.currentContext();
      proxy.server.connectHandler(inbound -> proxy.accept(inbound, targetPort)).listen(0, "127.0.0.1")
          .<Void>mapEmpty().onComplete(listening);
    });
    TestNode.await(listening.future());
    return proxy;
  }

  private void accept(NetSocket inbound, int targetPort) {
    inbound.pause();
    sockets.add(inbound);
    inbound.closeHandler(closed -> sockets.remove(inbound));
    client.connect(targetPort, "127.0.0.1").onSuccess(outbound -> {
      sockets.add(outbound);
      inbound.handler(outbound::write);
      outbound.handler(inbound::write);
      inbound.closeHandler(closed -> {
        sockets.remove(inbound);
        outbound.close();
      });
      outbound.closeHandler(closed -> {
        sockets.remove(outbound);
        // A node that hangs closes nothing: the client's side stays open until the proxy thaws.
        if (frozen) {
          orphans.add(inbound);
        } else {
          inbound.close();
        }
      });
      if (frozen) {
        outbound.pause();
      } else {
        inbound.resume();
      }
    }).onFailure(failure -> inbound.close());
  }

  int port() {
    return server.actualPort();
  }

  void cut() {
    onContext(() -> List.copyOf(sockets).forEach(NetSocket::close));
  }

  void freeze() {
    onContext(() -> {
      frozen = true;
      sockets.forEach(NetSocket::pause);
    });
  }

  void thaw() {
    onContext(() -> {
      frozen = false;
      orphans.forEach(NetSocket::close);
      orphans.clear();
      sockets.forEach(NetSocket::resume);
    });
  }

  private void onContext(Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(nothing -> {
      action.run();
      done.complete();
    });
    TestNode.await(done.future());
  }
}
