package io.switchboard.node;

import io.switchboard.admin.AdminApi;
import io.switchboard.admin.LiveViews;
import io.switchboard.admin.AdminContract;
import io.switchboard.contract.Addresses;
import io.switchboard.contract.EventBusCodecs;
import io.switchboard.auth.TokenPolicy;
import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.gateway.ConnectionCounters;
import io.switchboard.gateway.GatewayOptions;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.ListenException;
import io.switchboard.gateway.RequestDeadlines;
import io.switchboard.metrics.PrometheusMetrics;
import io.switchboard.pages.Pages;
import io.switchboard.presence.PresenceVerticle;
import io.switchboard.router.RouterOptions;
import io.switchboard.router.RouterVerticle;
import io.switchboard.router.TransferVerticle;
import io.switchboard.rulesverticle.RulesVerticle;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.MessageLimits;
import io.switchboard.store.Stores;
import io.switchboard.store.memory.InMemoryStores;
import io.switchboard.store.redis.RedisStoreOptions;
import io.switchboard.store.redis.RedisStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles one node: the store, the presence, router and gateway verticles, and the directory it starts with.
 * {@link #main} runs the embedded default (one process, all roles, in-process store).
 */
public final class SwitchboardNode {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardNode.class);
  private static final String DEMO_DIRECTORY = "/demo-directory.json";
  /**
   * What a planned stop may take beyond the shutdown grace: closing handshakes, giving the lease up, leaving
   * Hazelcast (cluster.xml lets that take 10 s).
   */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(30);
  private final String nodeId;
  private final NodeTokens tokens;
  private final ConnectionCounters counters;
  private final Stores stores;
  private final NodeLease lease;
  private final List<GatewayVerticle> gateways;
  /** The admin API's own server (--admin-port), or null when it is on the HTTP port. */
  private final HttpServer adminServer;
  private final MessageConsumer<JsonObject> census;
  private final LiveViews liveViews;

  private SwitchboardNode(String nodeId, NodeTokens tokens, ConnectionCounters counters, Stores stores,
                          NodeLease lease, List<GatewayVerticle> gateways, HttpServer adminServer, LiveViews liveViews,
                          MessageConsumer<JsonObject> census) {
    this.nodeId = nodeId;
    this.tokens = tokens;
    this.counters = counters;
    this.stores = stores;
    this.lease = lease;
    this.gateways = gateways;
    this.adminServer = adminServer;
    this.census = census;
    this.liveViews = liveViews;
  }

  /**
   * Starts a node on {@code vertx} (clustered or not): the store, the directory, and the verticles of the node's
   * roles. Completes once every verticle listens and is registered.
   */
  public static Future<SwitchboardNode> start(Vertx vertx, NodeOptions options, Clock clock) {
    String nodeId = options.nodeId() != null ? options.nodeId() : "node-" + UUID.randomUUID().toString().substring(0, 8);
    ConnectionCounters counters = new ConnectionCounters();
    EventBusCodecs.registerOn(vertx.eventBus());
    if (options.metrics()) {
      // before the store and the verticles, which look their metrics up as they start
      PrometheusMetrics.on(vertx);
    }
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    return NodeTokens.create(vertx, options, clock).compose(tokens -> createStores(vertx, options).compose(stores ->
        readDirectory(vertx, options)
        .compose(directory -> applyDirectory(vertx, options, stores.directory(), directory).map(directory))
        .compose(directory -> {
          DirectoryMirror mirror = new DirectoryMirror();
          StoreRestore restore = new StoreRestore(mirror, stores.directory(), gateways);
          NodeLease lease = new NodeLease(vertx, stores.presence(), nodeId, options.lease(), clock);
          LiveViews liveViews = new LiveViews(stores.directory(), stores.queues(),
              options.heartbeat().compareTo(LiveViews.MAX_KEEPALIVE) < 0 ? options.heartbeat() : LiveViews.MAX_KEEPALIVE,
              LiveViews.DEFAULT_MAX_CLIENTS);
          lease.onChange(() -> gateways.forEach(GatewayVerticle::reannounceSessions), restore);
          // The embedded store lives and dies with its node: nothing to restore it from.
          Future<Void> mirrored = options.usesRedis() ? mirror.start(vertx, stores.directory()) : Future.succeededFuture();
          // Demo mode: tokens for anyone, from /demo/token, only on a node of its own with a secret it made up.
          boolean demo = tokens.generatedSecret() && !options.usesRedis();
          return mirrored.compose(following -> deployRoles(vertx, options, clock, nodeId, tokens, counters, stores, lease,
                  restore, gateways, demo, liveViews))
              .compose(deployed -> listenForAdmin(vertx, options, tokens, stores, restore, liveViews, clock))
              .compose(adminServer -> answerCensus(vertx, nodeId, options, counters).map(census -> {
                SwitchboardNode node = new SwitchboardNode(nodeId, tokens, counters, stores, lease,
                    List.copyOf(gateways), adminServer, liveViews, census);
                if (tokens.generatedSecret()) {
                  node.logDemoTokens(directory, options.usesRedis());
                }
                if (demo && !gateways.isEmpty()) {
                  String host = options.host().equals("0.0.0.0") || options.host().equals("::") ? "localhost" : options.host();
                  LOG.info("demo mode: open http://{}:{}/chat and http://{}:{}/agent in two windows (they get tokens from "
                      + "/demo/token); http://{}:{}/admin takes the admin token", host, node.httpPort(), host,
                      node.httpPort(), host, node.httpPort());
                }
                return node;
              }));
        })));
  }

  /**
   * The admin API's own HTTP server on --admin-port (TLS as the other ports), with the health checks and the pages;
   * null when the admin API is on the HTTP port.
   */
  private static Future<HttpServer> listenForAdmin(Vertx vertx, NodeOptions options, NodeTokens tokens, Stores stores,
                                                   StoreRestore restore, LiveViews liveViews, Clock clock) {
    Integer port = options.security().adminPort();
    if (port == null) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    RequestDeadlines deadlines = new RequestDeadlines(vertx, options.requestTimeout().toMillis());
    router.route().handler(deadlines::handle);
    Health.mount(router, vertx, stores, restore::restoring);
    if (options.metrics()) {
      PrometheusMetrics.on(vertx).mount(router);
    }
    // The operator dashboard (/admin) calls the admin API where it is served from.
    Pages.mount(router);
    KeyCertOptions tls = options.security().tls();
    return AdminContract.load(vertx).compose(contract -> {
      AdminApi.mount(router, stores.directory(), stores.conversations(), stores.rules(), stores.queues(),
          tokens.admins(), options.decisionsKept(), contract, liveViews, clock);
      return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(port)
              .setSsl(tls != null).setKeyCertOptions(tls))
          .connectionHandler(deadlines::opened)
          .requestHandler(router)
          .listen();
    })
        .recover(failure -> Future.failedFuture(new NodeOptions.InvalidOptionException("--admin-port " + port
            + ": cannot listen on " + options.host() + ":" + port + ": " + failure.getMessage())));
  }

  private static Future<Stores> createStores(Vertx vertx, NodeOptions options) {
    MessageLimits limits = new MessageLimits(options.maxMailboxMessages(), options.maxHeldMessages());
    if (!options.usesRedis()) {
      return Future.succeededFuture(new InMemoryStores(options.decisionsKept(), limits));
    }
    RedisStoreOptions redis = options.redis() != null
        ? RedisStoreOptions.standalone(options.redis()) : RedisStoreOptions.cluster(options.redisCluster());
    Path ca = options.security().redisCa();
    String option = options.redis() != null ? "--redis " + options.redis()
        : "--redis-cluster " + String.join(",", options.redisCluster());
    // A store that cannot be reached at start is the operator's to fix: its address, Redis itself, or its TLS.
    return RedisStores.connect(vertx, redis.withDecisionsKept(options.decisionsKept())
            .withTrustedCertificates(ca != null ? ca.toString() : null), limits)
        .<Stores>map(stores -> stores)
        .recover(failure -> Future.failedFuture(new NodeOptions.InvalidOptionException(option + ": "
            + failure.getMessage())));
  }

  /**
   * Deploys the node's roles: presence and router first, then the lease (held before any session exists, so no
   * session is ever recorded for a node without one), then the gateways that depend on them.
   */
  private static Future<Void> deployRoles(Vertx vertx, NodeOptions options, Clock clock, String nodeId,
                                          NodeTokens tokens, ConnectionCounters counters, Stores stores,
                                          NodeLease lease, StoreRestore restore, List<GatewayVerticle> gateways,
                                          boolean demo, LiveViews liveViews) {
    Future<?> deployed = Future.succeededFuture();
    if (options.roles().contains(NodeOptions.Role.PRESENCE)) {
      deployed = deployed.compose(done -> vertx.deployVerticle(new PresenceVerticle(stores.presence(),
          stores.directory(), clock, options.lease())));
      // Handling rules' side effects follow presence (status changes come from there) and closed conversations.
      deployed = deployed.compose(done -> vertx.deployVerticle(new RulesVerticle(stores.rules(), stores.messages(),
          stores.presence(), stores.directory(), clock)));
    }
    if (options.roles().contains(NodeOptions.Role.ROUTER)) {
      deployed = deployed.compose(done -> vertx.deployVerticle(new RouterVerticle(stores.conversations(),
          stores.presence(), stores.queues(), stores.directory(), clock, routerOptions(options, nodeId))));
    }
    deployed = deployed.compose(done -> lease.acquire());
    if (!options.roles().contains(NodeOptions.Role.GATEWAY)) {
      // no gateway, no HTTP server: the metrics of a router or presence node get one on --http-port
      Future<?> served = options.metrics() ? deployed.compose(done -> PrometheusMetrics.on(vertx).serve(vertx,
          options.host(), options.httpPort())) : deployed;
      return served.compose(done -> deployTransfers(vertx, options, clock, nodeId, stores));
    }
    GatewayOptions gatewayOptions = new GatewayOptions(options.host(), options.httpPort(), options.tcpPort(),
        options.heartbeat(), options.maxFrameBytes(), options.framesPerSecond(), options.openTimeout(),
        options.maxOutboundBytes(), options.authTimeout(), options.requestTimeout(), options.webSocketCompression(),
        options.security().tls());
    // One gateway per event loop: instances share the ports (Vert.x spreads connections over them) and each
    // serves its own connections. A port of 0 would give every instance a random port of its own, so then one.
    int instances = options.httpPort() == 0 || options.tcpPort() == 0 ? 1 : options.gatewayInstances();
    AtomicInteger instance = new AtomicInteger();
    return deployed.compose(done -> AdminContract.load(vertx)).compose(contract -> vertx.deployVerticle(() -> {
      GatewayVerticle gateway = new GatewayVerticle(nodeId + "/" + instance.incrementAndGet(), nodeId,
          stores.directory(), stores.conversations(), stores.messages(), stores.rules(), tokens.clients(),
          gatewayOptions, counters, clock, router -> {
            Health.mount(router, vertx, stores, restore::restoring);
            if (options.metrics()) {
              PrometheusMetrics.on(vertx).mount(router);
            }
            if (options.security().adminPort() == null) {
              AdminApi.mount(router, stores.directory(), stores.conversations(), stores.rules(), stores.queues(),
                  tokens.admins(), options.decisionsKept(), contract, liveViews, clock);
            }
            Pages.mount(router);
            if (demo) {
              DemoTokens.mount(router, stores.directory(),
                  user -> sign(tokens.clients(), user, false, DemoTokens.lifetime(tokens.clients())));
            }
          });
      gateways.add(gateway);
      return gateway;
    }, new DeploymentOptions().setInstances(instances))).compose(done -> deployTransfers(vertx, options, clock, nodeId,
        stores));
  }

  /**
   * The router role's transfers, deployed last so that the roles before keep the event loops they had before
   * transfers existed (an event loop the lease shares with a busy gateway renews it late). Until it is up, a
   * transfer finds no handler and gets {@code unavailable}.
   */
  private static Future<Void> deployTransfers(Vertx vertx, NodeOptions options, Clock clock, String nodeId,
                                              Stores stores) {
    if (!options.roles().contains(NodeOptions.Role.ROUTER)) {
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new TransferVerticle(stores.conversations(), stores.directory(), clock,
        routerOptions(options, nodeId))).mapEmpty();
  }

  private static RouterOptions routerOptions(NodeOptions options, String nodeId) {
    return new RouterOptions(nodeId, options.offerTimeout(), options.disconnectGrace(), options.maxPendingOpens(),
        options.memberOffersPerSecond());
  }

  /** Answers the admin API's census (docs/ADMIN-API.md, {@code GET /api/v1/nodes}) with this node's connections. */
  private static Future<MessageConsumer<JsonObject>> answerCensus(Vertx vertx, String nodeId, NodeOptions options,
                                                                  ConnectionCounters counters) {
    JsonArray roles = new JsonArray(options.roles().stream().sorted()
        .map(role -> role.name().toLowerCase(Locale.ROOT)).toList());
    MessageConsumer<JsonObject> census = vertx.eventBus().consumer(Addresses.NODE_CENSUS, asked -> vertx.eventBus()
        .send(asked.body().getString("replyTo"), new JsonObject().put("node", nodeId).put("roles", roles)
            .put("connections", counters.open())));
    return census.completion().map(census);
  }

  /**
   * The directory file given, else the demo directory for a node on its own store; a node on a shared store
   * starts with what the store holds (null).
   */
  private static Future<DirectoryFile> readDirectory(Vertx vertx, NodeOptions options) {
    if (options.directory() == null && options.usesRedis()) {
      return Future.succeededFuture();
    }
    if (options.directory() == null) {
      try (var in = SwitchboardNode.class.getResourceAsStream(DEMO_DIRECTORY)) {
        return Future.succeededFuture(DirectoryFile.fromJson(new JsonObject(Buffer.buffer(in.readAllBytes()))));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.fileSystem().readFile(options.directory().toString())
        .map(bytes -> DirectoryFile.fromJson(new JsonObject(bytes)))
        .recover(failure -> Future.failedFuture(new NodeOptions.InvalidOptionException(
            "--directory " + options.directory() + ": " + firstLine(failure.getMessage()))));
  }

  private static String firstLine(String message) {
    return message == null ? "cannot be read" : message.lines().findFirst().orElse(message);
  }

  /**
   * Puts the directory file into the store, unless {@code --directory-if-empty} is given and the store already holds a
   * directory: one an earlier start loaded, which the admin API may have changed since, and a restart must keep.
   */
  private static Future<Void> applyDirectory(Vertx vertx, NodeOptions options, DirectoryStore store,
                                             DirectoryFile directory) {
    if (directory == null || !options.directoryIfEmpty()) {
      return loadDirectory(vertx, store, directory);
    }
    return store.snapshot().compose(held -> {
      if (held.users().isEmpty() && held.virtualUsers().isEmpty()) {
        return loadDirectory(vertx, store, directory);
      }
      LOG.info("the store already holds a directory ({} users, {} virtual users): {} is not loaded (--directory-if-empty)",
          held.users().size(), held.virtualUsers().size(), options.directory());
      return Future.succeededFuture();
    });
  }

  /** Puts the directory into the store, telling every node's copy (see {@link DirectoryMirror}). */
  private static Future<Void> loadDirectory(Vertx vertx, DirectoryStore store, DirectoryFile directory) {
    Future<Void> loaded = Future.succeededFuture();
    if (directory == null) {
      return loaded;
    }
    for (User user : directory.users()) {
      loaded = loaded.compose(done -> store.putUser(user)).onSuccess(put -> vertx.eventBus()
          .publish(Addresses.DIRECTORY_CHANGED, new JsonObject().put("user", user.toJson())));
    }
    for (VirtualUser virtualUser : directory.virtualUsers()) {
      loaded = loaded.compose(done -> store.putVirtualUser(virtualUser)).onSuccess(put -> vertx.eventBus()
          .publish(Addresses.DIRECTORY_CHANGED, new JsonObject().put("virtualUser", virtualUser.toJson())));
    }
    return loaded;
  }

  /**
   * Without --jwt-secret: the tokens this node alone accepts, for the users of the directory it started with, and
   * on a shared store how to make tokens every node accepts.
   */
  private void logDemoTokens(DirectoryFile directory, boolean sharedStore) {
    Duration lifetime = tokens.clients().maxLifetime();
    LOG.info("no --jwt-secret given: generated one; tokens valid for {}:", lifetime);
    if (directory != null) {
      directory.users().forEach(user -> LOG.info("  token for {}: {}", user.id(), token(user.id(), lifetime)));
    }
    if (tokens.admins().signs()) {
      LOG.info("  admin token for {}: {}", AdminApi.PREFIX, adminToken(lifetime));
    }
    if (sharedStore) {
      LOG.warn("the store is shared but this node signs with a secret of its own, which no other node and no token "
          + "command knows: start every node with --jwt-secret S (or {}=S) and make tokens with "
          + "'java -jar switchboard.jar token USER --jwt-secret S' (--admin for an admin token)",
          NodeOptions.variable("jwt-secret"));
    }
  }

  /** Prints a token for {@code user} signed with the secret of {@code options}, lasting the longest the nodes accept. */
  private static void printToken(String user, boolean admin, NodeOptions options) {
    String adminSecret = options.security().adminJwtSecret();
    String secret = admin && adminSecret != null ? adminSecret : options.jwtSecret();
    if (secret == null) {
      throw new NodeOptions.InvalidOptionException("token needs --jwt-secret or " + NodeOptions.variable("jwt-secret")
          + (admin ? " (or, for admin tokens, --admin-jwt-secret or " + NodeOptions.variable("admin-jwt-secret") + ")" : ""));
    }
    Vertx vertx = Vertx.vertx();
    try {
      TokenPolicy tokens = TokenPolicy.hs256(vertx, secret, options.maxTokenLifetime(), Clock.systemUTC());
      System.out.println(sign(tokens, user, admin, tokens.maxLifetime()));
    } finally {
      vertx.close();
    }
  }

  private static String sign(TokenPolicy tokens, String user, boolean admin, Duration lifetime) {
    JsonObject claims = new JsonObject().put("sub", user);
    if (admin) {
      claims.put("roles", new JsonArray().add(AdminApi.ADMIN_ROLE));
    }
    return tokens.sign(claims, lifetime);
  }

  /** A client token for {@code user}, signed with this node's secret, lasting {@code lifetime} (at most the maximum). */
  public String token(String user, Duration lifetime) {
    return sign(tokens.clients(), user, false, lifetime);
  }

  /** A token for the admin API ({@code "roles":["admin"]}), signed with this node's secret. */
  public String adminToken(Duration lifetime) {
    return sign(tokens.admins(), "admin", true, lifetime);
  }

  /** What this node's connections ran into (connections closed for not reading, for not authenticating). */
  public ConnectionCounters connectionCounters() {
    return counters;
  }

  /** The live views this node serves (open, refused, dropped). */
  public LiveViews liveViews() {
    return liveViews;
  }

  public String nodeId() {
    return nodeId;
  }

  public int httpPort() {
    return gateways.get(0).httpPort();
  }

  public int tcpPort() {
    return gateways.get(0).tcpPort();
  }

  /** The port of the admin API: --admin-port's, else the HTTP port. */
  public int adminPort() {
    return adminServer != null ? adminServer.actualPort() : httpPort();
  }

  /**
   * A planned stop: the gateways stop accepting and tell every client to reconnect elsewhere (the {@code shutdown}
   * frame), waiting at most {@code grace} for them to go, then the node gives its lease up with whatever sessions it
   * still holds, so its users are offline everywhere at once; their conversations wait for the disconnect grace.
   * The caller closes Vert.x afterwards, which leaves the cluster.
   */
  public Future<Void> stop(Duration grace) {
    return Future.all(gateways.stream().map(gateway -> gateway.drain(grace)).toList())
        .eventually(census::unregister)
        .eventually(() -> lease.release().onFailure(failure -> LOG.warn("node {} could not give its lease up ({}):"
            + " its users stay online until the lease runs out", nodeId, failure.getMessage())))
        .eventually(() -> adminServer != null ? adminServer.close() : Future.succeededFuture())
        .eventually(stores::close)
        .mapEmpty();
  }

  /**
   * On SIGTERM (or SIGINT): a planned stop ({@link #stop}), leaving the cluster, then exit 0, or 1 if that did not
   * finish in time. The hook ends the JVM itself: otherwise a JVM stopped by a signal exits 143 whatever its hooks
   * did (Hazelcast's own hook is off, see cluster.xml, and no other hook has work left by then).
   */
  private static void stopOnSignal(SwitchboardNode node, Vertx vertx, Duration grace) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("node {} stops; its clients get up to {} to go", node.nodeId(), grace);
      int status = 0;
      try {
        node.stop(grace).eventually(vertx::close).toCompletionStage().toCompletableFuture()
            .get(grace.plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("node {} stopped and left the cluster", node.nodeId());
      } catch (Exception e) {
        LOG.error("node {} did not stop cleanly within {}: {}", node.nodeId(), grace.plus(STOP_MARGIN), e.toString());
        status = 1;
      }
      Runtime.getRuntime().halt(status);
    }, "switchboard-shutdown"));
  }

  public static void main(String[] args) {
    NodeOptions options;
    try {
      NodeCommandLine.Command command = NodeCommandLine.parse(args, System.getenv());
      if (command instanceof NodeCommandLine.Print print) {
        System.out.print(print.text());
        return;
      }
      if (command instanceof NodeCommandLine.Token token) {
        printToken(token.user(), token.admin(), token.options());
        return;
      }
      options = ((NodeCommandLine.Run) command).options();
      options.logFormat().apply();
    } catch (NodeOptions.InvalidOptionException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    Clustering.vertx(options)
        .onFailure(failure -> exit("switchboard could not join the cluster", failure))
        .onSuccess(vertx -> start(vertx, options, Clock.systemUTC())
            .onSuccess(node -> {
              LOG.info("switchboard node {} started with roles {}", node.nodeId(), options.roles());
              stopOnSignal(node, vertx, options.shutdownGrace());
            })
            .onFailure(failure -> vertx.close().onComplete(closed -> exit("switchboard failed to start", failure))));
  }

  /**
   * Ends a start that failed: with exit code 2 and one line naming the option when the operator's configuration is
   * the cause (a bad value, a port in use), else with exit code 1 and the stack trace in the log.
   */
  private static void exit(String what, Throwable failure) {
    String optionProblem = optionProblem(failure);
    if (optionProblem != null) {
      System.err.println("switchboard: " + optionProblem);
      System.exit(2);
    }
    LOG.error("{}: {}", what, failure.getMessage(), failure);
    System.exit(1);
  }

  /** What the operator has to fix, named by its option, or null when the failure is not about the options. */
  static String optionProblem(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof NodeOptions.InvalidOptionException) {
        return cause.getMessage();
      }
      if (cause instanceof ListenException listen) {
        String option = listen.server() == ListenException.Server.HTTP ? "--http-port" : "--tcp-port";
        return option + " " + listen.port() + ": " + listen.getMessage();
      }
    }
    return null;
  }
}
