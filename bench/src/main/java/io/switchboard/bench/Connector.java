package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens authenticated protocol connections to the node (to a cluster's nodes in turn) and keeps them alive: one housekeeping timer pings every
 * connection that has sent nothing for the ping interval and fails requests that waited past the request
 * timeout. One Vert.x client per local address; every connection is asynchronous from connect to close.
 */
final class Connector {

  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
  private static final int MAX_FRAME = 1 << 20;
  private static final long HOUSEKEEPING_MS = 500;
  private static final long CLOSE_WAIT_MS = 10_000;

  private final Vertx vertx;
  private final LoadOptions options;
  private final Tokens tokens;
  /** Vert.x closes a client that is no longer referenced: these fields keep them for the run. */
  private final List<WebSocketClient> webSocketClients = new ArrayList<>();
  private final List<NetClient> netClients = new ArrayList<>();
  private final Set<ProtocolClient> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final ErrorCounts pingErrors = new ErrorCounts();
  private final LongAdder pings = new LongAdder();
  private final Latency connectLatency = new Latency();
  private long housekeeping = -1;

  Connector(Vertx vertx, LoadOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.tokens = new Tokens(vertx, options.secret(), options.total().plusMinutes(10));
    for (int i = 0; i < options.localAddresses(); i++) {
      String local = options.localAddress(i);
      if (options.transport() == LoadOptions.Transport.WS) {
        WebSocketClientOptions ws = new WebSocketClientOptions()
            // Not -1: Vert.x 5.0 queues every connection when the limit is "disabled".
            .setMaxConnections(Integer.MAX_VALUE).setMaxFrameSize(MAX_FRAME)
            .setMaxMessageSize(MAX_FRAME).setTcpNoDelay(true);
        webSocketClients.add(vertx.createWebSocketClient(local == null ? ws : ws.setLocalAddress(local)));
      } else {
        NetClientOptions tcp = new NetClientOptions().setTcpNoDelay(true);
        netClients.add(vertx.createNetClient(local == null ? tcp : tcp.setLocalAddress(local)));
      }
    }
  }

  /** Starts pinging and timing out requests; call once, before the load. */
  void start() {
    housekeeping = vertx.setPeriodic(HOUSEKEEPING_MS, tick -> housekeep());
  }

  private void housekeep() {
    long now = System.nanoTime();
    long timedOut = now - options.requestTimeout().toNanos();
    for (ProtocolClient client : live) {
      client.failPending(timedOut, ProtocolError.CLIENT_TIMEOUT);
      long interval = options.pingInterval() != null ? options.pingInterval().toNanos()
          : client.heartbeatMillis() * 500_000L;
      if (now - client.lastSentNanos() >= interval) {
        pings.increment();
        client.request(new JsonObject().put("type", "ping"), "pong")
            .onFailure(failure -> pingErrors.count("ping", failure));
      }
    }
  }

  /** A connection of {@code user}, authenticated; fails if the connection or the auth fails. */
  Future<ProtocolClient> connect(String user) {
    int number = connections.getAndIncrement();
    LoadOptions.Endpoint endpoint = options.endpoint(number);
    int slot = options.addressSlot(number);
    long started = System.nanoTime();
    Future<ProtocolClient> connected = options.transport() == LoadOptions.Transport.WS
        ? webSocket(user, webSocketClients.get(slot), endpoint) : tcp(user, netClients.get(slot), endpoint);
    return connected.compose(client -> {
      live.add(client);
      client.whenClosed().onComplete(closed -> live.remove(client));
      return client.auth(tokens.token(user))
          .map(ready -> {
            connectLatency.recordNanos(System.nanoTime() - started);
            return client;
          })
          .onFailure(failure -> client.close());
    });
  }

  private Future<ProtocolClient> webSocket(String user, WebSocketClient http, LoadOptions.Endpoint endpoint) {
    WebSocketConnectOptions target = new WebSocketConnectOptions().setHost(endpoint.host()).setPort(endpoint.port())
        .setURI(endpoint.path());
    return http.connect(target).map(socket -> {
      ProtocolClient client = new ProtocolClient(user, new ProtocolClient.Wire() {
        @Override
        public void write(String frame) {
          socket.writeTextMessage(frame);
        }

        @Override
        public void close() {
          socket.close();
        }
      });
      // Set on the event loop as the connection completes, before any frame can be read.
      socket.textMessageHandler(client::receive);
      socket.closeHandler(closed -> client.closed());
      socket.exceptionHandler(failure -> LOG.debug("{}: {}", user, failure.toString()));
      return client;
    });
  }

  private Future<ProtocolClient> tcp(String user, NetClient net, LoadOptions.Endpoint endpoint) {
    return net.connect(endpoint.port(), endpoint.host()).map(socket -> {
      ProtocolClient client = new ProtocolClient(user, new ProtocolClient.Wire() {
        @Override
        public void write(String frame) {
          socket.write(frame + "\n");
        }

        @Override
        public void close() {
          socket.close();
        }
      });
      RecordParser lines = RecordParser.newDelimited("\n", line -> client.receive(line.toString(StandardCharsets.UTF_8)));
      lines.maxRecordSize(MAX_FRAME);
      socket.handler(lines);
      socket.closeHandler(closed -> client.closed());
      socket.exceptionHandler(failure -> LOG.debug("{}: {}", user, failure.toString()));
      return client;
    });
  }

  /**
   * Connects {@code users} in order, {@code connect-batch} at a time; failures are counted in {@code errors} as
   * {@code connect:<code>} and left out of the list, which keeps the order of {@code users} otherwise.
   */
  Future<List<ProtocolClient>> connectAll(List<String> users, ErrorCounts errors) {
    List<ProtocolClient> connected = new ArrayList<>();
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < users.size(); from += options.connectBatch()) {
      List<String> batch = users.subList(from, Math.min(users.size(), from + options.connectBatch()));
      done = done.compose(previous -> connectBatch(batch, errors).map(clients -> {
        connected.addAll(clients);
        return null;
      }));
    }
    return done.map(finished -> connected);
  }

  /** One batch, in parallel; completes when every connection of it has succeeded or failed. */
  Future<List<ProtocolClient>> connectBatch(List<String> users, ErrorCounts errors) {
    List<Future<ProtocolClient>> attempts = new ArrayList<>();
    for (String user : users) {
      attempts.add(connect(user).onFailure(failure -> errors.count("connect", failure)));
    }
    return Future.join(attempts).transform((all, failure) -> {
      List<ProtocolClient> clients = new ArrayList<>();
      attempts.forEach(attempt -> {
        if (attempt.succeeded()) {
          clients.add(attempt.result());
        }
      });
      return Future.succeededFuture(clients);
    });
  }

  int liveConnections() {
    return live.size();
  }

  /** Pings sent and ping failures, and connect-to-ready latency. */
  JsonObject toJson() {
    return new JsonObject().put("pings", pings.sum()).put("pingErrors", pingErrors.toJson())
        .put("connectLatencyMs", connectLatency.toJson());
  }

  /** Stops housekeeping and closes every connection; completes when all are closed or after ten seconds. */
  Future<Void> close() {
    if (housekeeping >= 0) {
      vertx.cancelTimer(housekeeping);
    }
    List<Future<Void>> closed = new ArrayList<>();
    for (ProtocolClient client : live) {
      closed.add(client.whenClosed());
      client.close();
    }
    Future<Void> done = Future.join(closed).<Void>mapEmpty().timeout(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)
        .recover(timeout -> {
          LOG.warn("{} connections had not closed after {} ms", live.size(), CLOSE_WAIT_MS);
          return Future.succeededFuture();
        });
    return done.eventually(() -> {
      List<Future<Void>> clients = new ArrayList<>();
      webSocketClients.forEach(client -> clients.add(client.close()));
      netClients.forEach(client -> clients.add(client.close()));
      return Future.join(clients);
    }).mapEmpty();
  }
}
