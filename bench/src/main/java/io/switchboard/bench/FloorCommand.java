package io.switchboard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The floor: a bare Vert.x relay that speaks just enough of the protocol for {@code setup} and {@code relay} to
 * run against it, with none of Switchboard's work — no store, no rules, no routing policy, no token check, no
 * transcript, no presence. It parses each frame, looks up the peer and writes the replies, on as many event loops
 * as a node's gateways. What a node spends per message beyond the floor's is what Switchboard adds to moving bytes.
 * It runs until it is stopped.
 */
final class FloorCommand {

  static final Map<String, String> OPTIONS = Options.table(
      "host", "the interface to listen on (default 127.0.0.1)",
      "http-port", "WebSocket port, endpoint /ws (default 8080)",
      "tcp-port", "TCP port, one JSON frame per line (default 7070)",
      "instances", "server verticles, one per event loop (default: the number of cores)");

  private FloorCommand() {
  }

  /** Starts the floor on a Vert.x of its own; answers where it listens once it does. */
  static JsonObject run(Options options) {
    int instances = options.integer("instances", Runtime.getRuntime().availableProcessors(), 1);
    return start(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances)), options).await();
  }

  /** Starts the floor on {@code vertx}; with port 0 (one instance), the result has the ports taken. */
  static Future<JsonObject> start(Vertx vertx, Options options) {
    String host = options.string("host", "127.0.0.1");
    int httpPort = options.integer("http-port", 8080, 0);
    int tcpPort = options.integer("tcp-port", 7070, 0);
    int instances = options.integer("instances", Runtime.getRuntime().availableProcessors(), 1);
    Relay relay = new Relay();
    List<Server> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      Server server = new Server(relay, host, httpPort, tcpPort);
      servers.add(server);
      return server;
    }, new DeploymentOptions().setInstances(instances)).map(deployed -> new JsonObject().put("floor", "listening")
        .put("ws", "ws://" + host + ":" + servers.get(0).http.actualPort() + "/ws")
        .put("tcp", host + ":" + servers.get(0).tcp.actualPort()).put("instances", instances).put("ok", true));
  }

  /** One server verticle: WebSocket and TCP connections, each a {@link Peer}. */
  private static final class Server extends VerticleBase {

    private final Relay relay;
    private final String host;
    private final int httpPort;
    private final int tcpPort;
    HttpServer http;
    NetServer tcp;

    Server(Relay relay, String host, int httpPort, int tcpPort) {
      this.relay = relay;
      this.host = host;
      this.httpPort = httpPort;
      this.tcpPort = tcpPort;
    }

    @Override
    public Future<?> start() {
      http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(httpPort))
          .webSocketHandler(socket -> {
            Peer peer = new Peer(relay, frame -> socket.writeTextMessage(frame.encode()));
            socket.handler(peer::onFrame);
            socket.closeHandler(closed -> peer.onClosed());
            peer.hello();
          });
      Buffer newline = Buffer.buffer("\n");
      tcp = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(tcpPort))
          .connectHandler(socket -> {
            Peer peer = new Peer(relay, frame -> socket.write(frame.toBuffer().appendBuffer(newline)));
            socket.handler(RecordParser.newDelimited("\n", peer::onFrame));
            socket.closeHandler(closed -> peer.onClosed());
            peer.hello();
          });
      return Future.all(http.listen(), tcp.listen());
    }
  }

  /** Who is connected and which conversations join whom; shared by every event loop. */
  private static final class Relay {
    final Map<String, List<Peer>> users = new ConcurrentHashMap<>();
    final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> nextMember = new ConcurrentHashMap<>();
    final AtomicLong ids = new AtomicLong();

    /** A connected member of {@code destination} (members are {@code <destination>-m-<n>}), in turn. */
    Peer member(String destination) {
      List<Map.Entry<String, List<Peer>>> members = users.entrySet().stream()
          .filter(entry -> entry.getKey().startsWith(destination + "-m-") && !entry.getValue().isEmpty()).toList();
      if (members.isEmpty()) {
        return null;
      }
      int turn = nextMember.computeIfAbsent(destination, d -> new AtomicInteger()).getAndIncrement();
      return members.get(Math.floorMod(turn, members.size())).getValue().get(0);
    }
  }

  private static final class Conversation {
    final String id;
    final Peer source;
    final String sourceRequest;
    final String destination;
    volatile Peer agent;
    final AtomicInteger seq = new AtomicInteger();

    Conversation(String id, Peer source, String sourceRequest, String destination) {
      this.id = id;
      this.source = source;
      this.sourceRequest = sourceRequest;
      this.destination = destination;
    }

    Peer peerOf(Peer party) {
      return party == source ? agent : source;
    }
  }

  /** One connection: parse a frame, look up the peer, write the replies. */
  private static final class Peer {
    private final Relay relay;
    private final Consumer<JsonObject> out;
    private String user;

    Peer(Relay relay, Consumer<JsonObject> out) {
      this.relay = relay;
      this.out = out;
    }

    void hello() {
      out.accept(new JsonObject().put("type", "hello").put("protocol", 1).put("server", "floor")
          .put("heartbeat", 30_000));
    }

    void onFrame(Buffer bytes) {
      JsonObject frame = new JsonObject(bytes);
      String id = frame.getString("id");
      switch (frame.getString("type", "")) {
        case "auth" -> {
          user = subject(frame.getString("token", ""));
          relay.users.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(this);
          out.accept(reply("ready", id).put("user", user));
        }
        case "ping" -> out.accept(reply("pong", id));
        case "open" -> open(id, frame.getString("to"));
        case "accept" -> {
          Conversation conversation = relay.conversations.get(frame.getString("conversation", ""));
          out.accept(reply("ok", id));
          if (conversation != null) {
            conversation.agent = this;
            conversation.source.out.accept(reply("opened", conversation.sourceRequest)
                .put("conversation", conversation.id).put("to", conversation.destination).put("agent", user));
          }
        }
        case "send" -> send(id, frame);
        case "close" -> {
          Conversation conversation = relay.conversations.remove(frame.getString("conversation", ""));
          out.accept(reply("ok", id));
          if (conversation != null && conversation.peerOf(this) != null) {
            JsonObject closed = new JsonObject().put("type", "closed").put("conversation", conversation.id)
                .put("by", user).put("reason", "closed");
            conversation.peerOf(this).out.accept(closed);
            out.accept(closed.copy());
          }
        }
        default -> out.accept(reply("ok", id));
      }
    }

    private void open(String id, String destination) {
      Peer member = relay.member(destination);
      if (member == null) {
        out.accept(reply("error", id).put("code", "unavailable").put("message", "no member of " + destination));
        return;
      }
      String conversation = "c-floor-" + relay.ids.incrementAndGet();
      relay.conversations.put(conversation, new Conversation(conversation, this, id, destination));
      member.out.accept(new JsonObject().put("type", "offer").put("conversation", conversation).put("from", user)
          .put("to", destination).put("expires", System.currentTimeMillis() + 15_000));
    }

    private void send(String id, JsonObject frame) {
      Conversation conversation = relay.conversations.get(frame.getString("conversation", ""));
      Peer peer = conversation == null ? null : conversation.peerOf(this);
      if (peer == null) {
        out.accept(reply("error", id).put("code", "not_found").put("message", "no such conversation"));
        return;
      }
      int seq = conversation.seq.incrementAndGet();
      out.accept(reply("ack", id).put("conversation", conversation.id).put("seq", seq));
      peer.out.accept(new JsonObject().put("type", "message").put("conversation", conversation.id).put("from", user)
          .put("seq", seq).put("ts", System.currentTimeMillis()).put("body", frame.getString("body")));
    }

    void onClosed() {
      if (user != null) {
        relay.users.getOrDefault(user, List.of()).remove(this);
      }
    }

    /** The token's {@code sub}, unverified: the floor checks nothing. */
    private static String subject(String token) {
      String[] parts = token.split("\\.");
      byte[] payload = Base64.getUrlDecoder().decode(parts.length > 1 ? parts[1] : "");
      return new JsonObject(new String(payload, StandardCharsets.UTF_8)).getString("sub");
    }

    private static JsonObject reply(String type, String id) {
      return new JsonObject().put("type", type).put("id", id);
    }
  }
}
