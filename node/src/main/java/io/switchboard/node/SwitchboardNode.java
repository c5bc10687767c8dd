package io.switchboard.node;

import io.switchboard.admin.AdminApi;
import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.gateway.GatewayOptions;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.presence.PresenceVerticle;
import io.switchboard.router.RouterOptions;
import io.switchboard.router.RouterVerticle;
import io.switchboard.store.InMemoryStore;
import io.switchboard.store.SwitchboardStore;
import io.switchboard.store.redis.RedisStore;
import io.switchboard.store.redis.RedisStoreOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Assembles one node: the store, the presence, router and gateway verticles, and the directory it starts with.
 * {@link #main} runs the embedded default (one process, all roles, in-process store).
 */
public final class SwitchboardNode {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardNode.class);
  private static final String DEMO_DIRECTORY = "/demo-directory.json";
  /** Demo tokens are for trying the node out: they last a day. */
  private static final int DEMO_TOKEN_MINUTES = 24 * 60;

  private final Vertx vertx;
  private final String nodeId;
  private final JWTAuth auth;
  private final GatewayVerticle gateway;

  private SwitchboardNode(Vertx vertx, String nodeId, JWTAuth auth, GatewayVerticle gateway) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.auth = auth;
    this.gateway = gateway;
  }

  /**
   * Starts a node on {@code vertx} (clustered or not): the store, the directory, and the verticles of the node's
   * roles. Completes once every verticle listens and is registered.
   */
  public static Future<SwitchboardNode> start(Vertx vertx, NodeOptions options, Clock clock) {
    String nodeId = options.nodeId() != null ? options.nodeId() : "node-" + UUID.randomUUID().toString().substring(0, 8);
    boolean generatedSecret = options.jwtSecret() == null;
    String secret = generatedSecret ? randomSecret() : options.jwtSecret();
    JWTAuth auth = tokenProvider(vertx, secret);
    return createStore(vertx, options).compose(store -> readDirectory(vertx, options)
        .compose(directory -> loadDirectory(store, directory).map(directory))
        .compose(directory -> deployRoles(vertx, options, clock, nodeId, auth, store).map(gateway -> {
          SwitchboardNode node = new SwitchboardNode(vertx, nodeId, auth, gateway);
          if (generatedSecret && directory != null) {
            node.logDemoTokens(directory);
          }
          return node;
        })));
  }

  private static Future<SwitchboardStore> createStore(Vertx vertx, NodeOptions options) {
    if (!options.usesRedis()) {
      return Future.succeededFuture(new InMemoryStore(options.decisionsKept()));
    }
    RedisStoreOptions redis = options.redis() != null
        ? RedisStoreOptions.standalone(options.redis()) : RedisStoreOptions.cluster(options.redisCluster());
    return RedisStore.connect(vertx, redis.withDecisionsKept(options.decisionsKept())).map(store -> store);
  }

  /** Deploys the node's roles, presence and router before the gateway that depends on them; returns the gateway, if any. */
  private static Future<GatewayVerticle> deployRoles(Vertx vertx, NodeOptions options, Clock clock, String nodeId,
                                                     JWTAuth auth, SwitchboardStore store) {
    Future<?> deployed = Future.succeededFuture();
    if (options.roles().contains(NodeOptions.Role.PRESENCE)) {
      deployed = deployed.compose(done -> vertx.deployVerticle(new PresenceVerticle(store, clock, options.lease())));
    }
    if (options.roles().contains(NodeOptions.Role.ROUTER)) {
      deployed = deployed.compose(done -> vertx.deployVerticle(new RouterVerticle(store, clock,
          new RouterOptions(options.offerTimeout(), options.disconnectGrace()))));
    }
    if (!options.roles().contains(NodeOptions.Role.GATEWAY)) {
      return deployed.map(done -> null);
    }
    GatewayOptions gatewayOptions = new GatewayOptions(options.host(), options.httpPort(), options.tcpPort(),
        options.heartbeat(), options.maxFrameBytes(), options.framesPerSecond(), options.openTimeout(), options.lease());
    // One gateway per event loop: instances share the ports (Vert.x spreads connections over them) and each
    // serves its own connections. A port of 0 would give every instance a random port of its own, so then one.
    int instances = options.httpPort() == 0 || options.tcpPort() == 0 ? 1 : options.gatewayInstances();
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    return deployed.compose(done -> vertx.deployVerticle(() -> {
      GatewayVerticle gateway = new GatewayVerticle(store, auth, gatewayOptions, nodeId, clock, router -> {
        Health.mount(router, vertx, store);
        AdminApi.mount(router, store, auth, options.decisionsKept());
      });
      gateways.add(gateway);
      return gateway;
    }, new DeploymentOptions().setInstances(instances))).map(id -> gateways.get(0));
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
        .recover(failure -> Future.failedFuture(new IllegalArgumentException(
            "--directory " + options.directory() + ": " + failure.getMessage(), failure)));
  }

  private static Future<Void> loadDirectory(SwitchboardStore store, DirectoryFile directory) {
    Future<Void> loaded = Future.succeededFuture();
    if (directory == null) {
      return loaded;
    }
    for (User user : directory.users()) {
      loaded = loaded.compose(done -> store.putUser(user));
    }
    for (VirtualUser virtualUser : directory.virtualUsers()) {
      loaded = loaded.compose(done -> store.putVirtualUser(virtualUser));
    }
    return loaded;
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void logDemoTokens(DirectoryFile directory) {
    LOG.info("no --jwt-secret given: generated one; tokens valid for {} hours:", DEMO_TOKEN_MINUTES / 60);
    directory.users().forEach(user -> LOG.info("  token for {}: {}", user.id(), token(user.id(), DEMO_TOKEN_MINUTES)));
    LOG.info("  admin token for {}: {}", AdminApi.PREFIX, adminToken(DEMO_TOKEN_MINUTES));
  }

  /**
   * {@code token USER [--admin] [--jwt-secret S]}: prints a 24-hour token for USER signed with the secret (also
   * read from SWITCHBOARD_JWT_SECRET), for operators of a cluster, whose nodes log no demo tokens.
   */
  private static void printToken(String[] args) {
    if (args.length < 2 || args[1].startsWith("--")) {
      throw new NodeOptions.InvalidOptionException("usage: token USER [--admin] [--jwt-secret S]");
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
    boolean admin = rest.remove("--admin");
    String secret = NodeOptions.parse(rest.toArray(String[]::new), System.getenv()).jwtSecret();
    if (secret == null) {
      throw new NodeOptions.InvalidOptionException("token needs --jwt-secret or SWITCHBOARD_JWT_SECRET");
    }
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(sign(tokenProvider(vertx, secret), args[1], admin, DEMO_TOKEN_MINUTES));
    } finally {
      vertx.close();
    }
  }

  /** Signs and verifies the HS256 tokens of clients and operators. */
  private static JWTAuth tokenProvider(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  private static String sign(JWTAuth auth, String user, boolean admin, int minutes) {
    JsonObject claims = new JsonObject().put("sub", user);
    if (admin) {
      claims.put("roles", new JsonArray().add(AdminApi.ADMIN_ROLE));
    }
    return auth.generateToken(claims, new JWTOptions().setExpiresInMinutes(minutes));
  }

  /** A client token for {@code user}, signed with this node's secret. */
  public String token(String user, int minutes) {
    return sign(auth, user, false, minutes);
  }

  /** A token for the admin API ({@code "roles":["admin"]}), signed with this node's secret. */
  public String adminToken(int minutes) {
    return sign(auth, "admin", true, minutes);
  }

  public String nodeId() {
    return nodeId;
  }

  public int httpPort() {
    return gateway.httpPort();
  }

  public int tcpPort() {
    return gateway.tcpPort();
  }

  public static void main(String[] args) {
    NodeOptions options;
    try {
      if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
        System.out.print(NodeOptions.usage());
        return;
      }
      if (args.length > 0 && args[0].equals("token")) {
        printToken(args);
        return;
      }
      options = NodeOptions.parse(args, System.getenv());
    } catch (NodeOptions.InvalidOptionException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    Clustering.vertx(options)
        .onFailure(failure -> {
          LOG.error("switchboard could not join the cluster: {}", failure.getMessage(), failure);
          System.exit(1);
        })
        .onSuccess(vertx -> start(vertx, options, Clock.systemUTC())
            .onSuccess(node -> {
              LOG.info("switchboard node {} started with roles {}", node.nodeId(), options.roles());
              // Leave the cluster and release the ports on SIGTERM; main's thread is no event loop.
              Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "switchboard-shutdown"));
            })
            .onFailure(failure -> {
              LOG.error("switchboard failed to start: {}", failure.getMessage(), failure);
              vertx.close().onComplete(closed -> System.exit(1));
            }));
  }
}
