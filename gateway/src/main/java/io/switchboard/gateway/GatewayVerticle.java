package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.PresenceChange;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * Connection handling: the WebSocket endpoint {@code GET /ws} on the HTTP port (which also serves whatever
 * routes the node mounts, such as the admin API) and the line-based TCP port, both speaking PROTOCOL.md.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** The WebSocket layer refuses single frames above this many times the limit; smaller oversize frames get {@code too_large}. */
  private static final int WEBSOCKET_FRAME_HEADROOM = 4;

  private final SwitchboardStore store;
  private final JWTAuth auth;
  private final GatewayOptions options;
  private final String nodeId;
  private final Clock clock;
  private final Consumer<Router> extraRoutes;
  private Gateway gateway;
  private HttpServer httpServer;
  /** A renewal failed: once the store answers again, this node's sessions are recorded anew. */
  private boolean leaseInDoubt;
  private NetServer tcpServer;

  /**
   * @param extraRoutes mounts the node's other HTTP routes (admin API, health) on the same router as {@code /ws}
   */
  public GatewayVerticle(SwitchboardStore store, JWTAuth auth, GatewayOptions options, String nodeId, Clock clock,
                         Consumer<Router> extraRoutes) {
    this.store = store;
    this.auth = auth;
    this.options = options;
    this.nodeId = nodeId;
    this.clock = clock;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    gateway = new Gateway(vertx, store, auth, options, nodeId, clock);
    Router router = Router.router(vertx);
    router.get("/ws").handler(ctx -> ctx.request().toWebSocket()
        .onSuccess(socket -> new WebSocketConnection(socket, options.maxFrameBytes(), gateway))
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure)));
    extraRoutes.accept(router);

    int websocketLimit = options.maxFrameBytes() * WEBSOCKET_FRAME_HEADROOM;
    httpServer = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.httpPort())
            .setMaxWebSocketFrameSize(websocketLimit).setMaxWebSocketMessageSize(websocketLimit))
        .requestHandler(router);
    tcpServer = vertx.createNetServer(new NetServerOptions().setHost(options.host()).setPort(options.tcpPort()))
        .connectHandler(socket -> new TcpConnection(socket, options.maxFrameBytes(), gateway));

    long sweep = Math.max(10, options.heartbeat().toMillis() / 4);
    vertx.setPeriodic(sweep, id -> gateway.sweepIdle());
    vertx.setPeriodic(Math.max(1, options.lease().toMillis() / 3), id -> renewLease()
        .onSuccess(renewed -> {
          if (leaseInDoubt) {
            // While the store was out of reach the lease may have run out and another node evicted our sessions.
            leaseInDoubt = false;
            gateway.reannounceSessions();
          }
        })
        .onFailure(failure -> {
          leaseInDoubt = true;
          LOG.warn("could not renew the lease of node {}: {}", nodeId, failure.getMessage());
        }));
    // The lease is held before any session exists, so no session is ever recorded for a node without one.
    return renewLease().compose(leased -> Future.all(
        vertx.eventBus().<JsonObject>consumer(Addresses.PRESENCE_CHANGED,
            msg -> gateway.onPresenceChanged(PresenceChange.fromJson(msg.body()))).completion(),
        gateway.rules.start(vertx),
        httpServer.listen(),
        tcpServer.listen()))
        .onSuccess(started -> LOG.info("gateway {} listening: WebSocket on http://{}:{}/ws, TCP on {}:{}", nodeId,
            options.host(), httpServer.actualPort(), options.host(), tcpServer.actualPort()));
  }

  private Future<Void> renewLease() {
    return store.renewLease(nodeId, clock.millis() + options.lease().toMillis());
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
