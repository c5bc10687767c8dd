package io.switchboard.client;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A TCP server that plays the node's part from a script (one JSON frame per line): it says hello, answers auth with
 * ready, records every frame it receives, and sends what the test tells it to. For frames the node does not send
 * yet, or whose timing the test must control.
 */
final class ScriptedServer {

  /** A frame received, with the number of the connection (from 1) it came on. */
  record Received(int connection, JsonObject frame) {
  }

  private final NetServer server;
  private final List<NetSocket> sockets = new ArrayList<>();
  private final List<Received> received = new ArrayList<>();
  private Context context;
  /** The frames that answer a request other than auth (default: ok); the test sets its own. */
  private volatile Function<JsonObject, List<JsonObject>> reply = ScriptedServer::ok;

  private ScriptedServer(Vertx vertx) {
    this.server = vertx.createNetServer();
  }

  static ScriptedServer start(Vertx vertx) {
    ScriptedServer scripted = new ScriptedServer(vertx);
    Promise<Void> listening = Promise.promise();
    vertx.runOnContext(nothing -> {
      scripted.context = Vertx.currentContext();
      scripted.server.connectHandler(scripted::accept).listen(0, "127.0.0.1").<Void>mapEmpty().onComplete(listening);
    });
    TestNode.await(listening.future());
    return scripted;
  }

  static List<JsonObject> ok(JsonObject request) {
    return List.of(new JsonObject().put("type", "ok").put("id", request.getString("id")));
  }

  private void accept(NetSocket socket) {
    sockets.add(socket);
    int connection = sockets.size();
    write(socket, new JsonObject().put("type", "hello").put("protocol", 1).put("node", "node-scripted").put("heartbeat", 30_000));
    socket.handler(RecordParser.newDelimited("\n", line -> {
      JsonObject frame = new JsonObject(line.toString());
      synchronized (received) {
        received.add(new Received(connection, frame));
      }
      List<JsonObject> answers = "auth".equals(frame.getString("type"))
          ? List.of(new JsonObject().put("type", "ready").put("id", frame.getString("id")).put("user", "u")
              .put("session", "s-" + connection))
          : reply.apply(frame);
      answers.forEach(answer -> write(socket, answer));
    }));
  }

  private static void write(NetSocket socket, JsonObject frame) {
    socket.write(Buffer.buffer(frame.encode()).appendString("\n"));
  }

  int port() {
    return server.actualPort();
  }

  void reply(Function<JsonObject, List<JsonObject>> reply) {
    this.reply = reply;
  }

  /** The frames of {@code type} received so far. */
  List<JsonObject> received(String type) {
    synchronized (received) {
      return received.stream().map(Received::frame).filter(frame -> type.equals(frame.getString("type"))).toList();
    }
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  int connections() {
    return TestNode.await(onContext(sockets::size));
  }

  /** Sends a frame on the latest connection. */
  void send(JsonObject frame) {
    TestNode.await(onContext(() -> {
      write(sockets.get(sockets.size() - 1), frame);
      return null;
    }));
  }

  /** Ends the latest connection. */
  void closeLatest() {
    TestNode.await(onContext(() -> {
      sockets.get(sockets.size() - 1).close();
      return null;
    }));
  }

  private <T> io.vertx.core.Future<T> onContext(java.util.function.Supplier<T> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(nothing -> done.complete(action.get()));
    return done.future();
  }
}
