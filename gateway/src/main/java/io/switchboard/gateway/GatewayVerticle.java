package io.switchboard.gateway;

import io.switchboard.auth.TokenPolicy;
import io.switchboard.contract.Addresses;
import io.switchboard.contract.GatewayMessage;
import io.switchboard.contract.OpenOutcome;
import io.switchboard.contract.OpenProgress;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.UserDelivery;
import io.switchboard.directory.User;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.MessageStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Connection handling: the WebSocket endpoint {@code GET /ws} on the HTTP port (which also serves whatever
 * routes the node mounts, such as the admin API) and the line-based TCP port, both speaking docs/PROTOCOL.md.
 * Each gateway verticle has an address of its own ({@link Addresses#gateway}) where the cluster sends the events
 * of the sessions it holds and the outcomes of the opens they asked for.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** The WebSocket layer refuses single frames above this many times the limit; smaller oversize frames get {@code too_large}. */
  private static final int WEBSOCKET_FRAME_HEADROOM = 4;
  /**
   * A connection that flushed nothing to its client for this many heartbeats is closed. No healthy connection
   * goes that long (every frame is answered, and a silent WebSocket is pinged after one heartbeat and closed
   * after two), so this only ends connections whose client stopped reading, whose closing could not flush.
   */
  private static final int STALLED_HEARTBEATS = 3;
  /**
   * On a planned stop, how long after the grace the servers close connections themselves: time for the sessions'
   * own closing (WebSocket 1001, their close handshake) to go through first.
   */
  private static final long SERVER_SHUTDOWN_MARGIN_MILLIS = 2000;

  private final String id;
  private final String nodeId;
  private final DirectoryStore directory;
  private final ConversationStore conversations;
  private final MessageStore messages;
  private final RulesStore rules;
  private final TokenPolicy tokens;
  private final GatewayOptions options;
  private final ConnectionCounters counters;
  private final Clock clock;
  private final Consumer<Router> extraRoutes;
  private Gateway gateway;
  private Context gatewayContext;
  private HttpServer httpServer;
  private NetServer tcpServer;

  /**
   * @param id          this gateway's id, unique in the cluster (the node's id and the instance's number)
   * @param counters    shared by every gateway verticle of the node
   * @param extraRoutes mounts the node's other HTTP routes (admin API, health) on the same router as {@code /ws}
   */
  public GatewayVerticle(String id, String nodeId, DirectoryStore directory, ConversationStore conversations,
                         MessageStore messages, RulesStore rules, TokenPolicy tokens, GatewayOptions options,
                         ConnectionCounters counters, Clock clock, Consumer<Router> extraRoutes) {
    this.id = id;
    this.nodeId = nodeId;
    this.directory = directory;
    this.conversations = conversations;
    this.messages = messages;
    this.rules = rules;
    this.tokens = tokens;
    this.options = options;
    this.counters = counters;
    this.clock = clock;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    gatewayContext = context;
    gateway = new Gateway(vertx, id, nodeId, directory, conversations, messages, rules, tokens, options, counters, clock);
    RequestDeadlines deadlines = new RequestDeadlines(vertx, options.requestTimeout().toMillis());
    Router router = Router.router(vertx);
    router.route().handler(deadlines::handle);
    router.get("/ws").handler(ctx -> {
      if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
        ctx.fail(400, new IllegalArgumentException("GET /ws is a WebSocket upgrade"));
        return;
      }
      try {
        // the upgrade would refuse it too, in plain text
        new URI(ctx.request().uri());
      } catch (URISyntaxException e) {
        ctx.fail(400, new IllegalArgumentException("invalid request URI"));
        return;
      }
      ctx.request().toWebSocket()
          .onSuccess(socket -> {
            deadlines.upgraded(ctx.request().connection());
            new WebSocketConnection(socket, gateway);
          })
          .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
    });
    extraRoutes.accept(router);
    router.errorHandler(400, GatewayVerticle::badRequest);

    int websocketLimit = options.maxFrameBytes() * WEBSOCKET_FRAME_HEADROOM;
    long stalledMillis = STALLED_HEARTBEATS * options.heartbeat().toMillis();
    httpServer = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.httpPort())
            .setMaxWebSocketFrameSize(websocketLimit).setMaxWebSocketMessageSize(websocketLimit)
            // Vert.x inflates a compressed message whole before any size limit applies: see --websocket-compression.
            .setPerMessageWebSocketCompressionSupported(options.webSocketCompression())
            .setPerFrameWebSocketCompressionSupported(options.webSocketCompression())
            .setWriteIdleTimeout((int) stalledMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // h2c detection holds a connection back until its first request is read: no deadline could start
            .setHttp2ClearTextEnabled(false)
            .setSsl(options.tls() != null).setKeyCertOptions(options.tls()))
        .connectionHandler(deadlines::opened)
        .requestHandler(router);
    tcpServer = vertx.createNetServer(new NetServerOptions().setHost(options.host()).setPort(options.tcpPort())
            .setWriteIdleTimeout((int) stalledMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setSsl(options.tls() != null).setKeyCertOptions(options.tls()))
        .connectHandler(socket -> new TcpConnection(socket, gateway));

    long sweep = Math.max(10, options.heartbeat().toMillis() / 4);
    vertx.setPeriodic(sweep, timer -> gateway.sweepIdle());
    return Future.all(List.of(
        vertx.eventBus().<GatewayMessage>consumer(Addresses.gateway(id), msg -> onMessage(msg.body()))
            .completion(),
        vertx.eventBus().<PresenceChange>consumer(Addresses.PRESENCE_CHANGED,
            msg -> gateway.onPresenceChanged(msg.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.DIRECTORY_CHANGED, msg -> {
          JsonObject user = msg.body().getJsonObject("user");
          if (user != null) {
            gateway.onProfileChanged(User.fromJson(user));
          }
        }).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.NODE_EVICTED,
            msg -> gateway.routerLost(msg.body().getString("node"))).completion(),
        gateway.rules.start(vertx),
        listening(httpServer.listen(), ListenException.Server.HTTP, options.httpPort()),
        listening(tcpServer.listen(), ListenException.Server.TCP, options.tcpPort())))
        .onSuccess(started -> LOG.info("gateway {} listening: WebSocket on {}://{}:{}/ws, TCP{} on {}:{}", id,
            options.tls() != null ? "https" : "http", options.host(), httpServer.actualPort(),
            options.tls() != null ? " with TLS" : "", options.host(), tcpServer.actualPort()));
  }

  /** A port that cannot be taken is the operator's to fix: the failure says which server and port. */
  private Future<?> listening(Future<?> listen, ListenException.Server server, int port) {
    return listen.recover(failure -> Future.failedFuture(new ListenException(server, options.host(), port, failure)));
  }

  private void onMessage(GatewayMessage message) {
    if (message instanceof UserDelivery delivery) {
      gateway.onUserEvent(delivery.user(), delivery.event());
    } else if (message instanceof OpenOutcome outcome) {
      gateway.opens.outcome(outcome);
    } else if (message instanceof OpenProgress progress) {
      gateway.opens.progress(progress);
    }
  }

  /** A request the router cannot read, such as a malformed URL: the admin API's error shape, and no stack trace. */
  private static void badRequest(RoutingContext ctx) {
    LOG.debug("bad HTTP request {} {}", ctx.request().method(), ctx.request().uri(), ctx.failure());
    JsonObject error = new JsonObject().put("code", "bad_request")
        .put("message", "the request cannot be read" + (ctx.failure() != null ? ": " + ctx.failure().getMessage() : ""));
    ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", error).encode());
  }

  /**
   * This node's lease was taken away: announce every session again (on this gateway's event loop), see
   * {@link Gateway#reannounceSessions}.
   */
  public void reannounceSessions() {
    gatewayContext.runOnContext(nothing -> gateway.reannounceSessions());
  }

  /**
   * The store lost everything: give it back the conversations of the users connected here (on this gateway's event
   * loop), see {@link Gateway#restoreConversations}.
   */
  public Future<Void> restoreConversations() {
    Promise<Void> restored = Promise.promise();
    gatewayContext.runOnContext(nothing -> gateway.restoreConversations().onComplete(restored));
    return restored.future();
  }

  /**
   * A planned stop: tells every client to reconnect elsewhere and stops accepting connections; each connection
   * closes (WebSocket 1001) once its requests are answered, and at the latest after {@code grace}. HTTP requests in
   * flight (admin API) finish too. Completes when every session is gone and presence knows, and the servers closed.
   */
  public Future<Void> drain(Duration grace) {
    Promise<Void> drained = Promise.promise();
    gatewayContext.runOnContext(nothing -> {
      // The shutdown frames are written before anything closes. A server's shutdown closes its listening socket at
      // once but leaves open WebSocket and TCP connections to their sessions until its own deadline, when it would
      // close a WebSocket with 1000: the sessions close theirs with 1001 before that.
      Future<Void> sessionsGone = gateway.drain();
      long serverDeadline = grace.toMillis() + SERVER_SHUTDOWN_MARGIN_MILLIS;
      Future<Void> serversClosed = Future.join(httpServer.shutdown(serverDeadline, TimeUnit.MILLISECONDS),
          tcpServer.shutdown(serverDeadline, TimeUnit.MILLISECONDS)).mapEmpty();
      long timer = vertx.setTimer(grace.toMillis(), expired -> gateway.leaveAll());
      Future.join(sessionsGone, serversClosed).onComplete(done -> {
        vertx.cancelTimer(timer);
        drained.complete();
      });
    });
    return drained.future();
  }

  /** The bound HTTP port (useful when started on port 0). */
  public int httpPort() {
    return httpServer.actualPort();
  }

  /** The bound TCP port (useful when started on port 0). */
  public int tcpPort() {
    return tcpServer.actualPort();
  }
}
