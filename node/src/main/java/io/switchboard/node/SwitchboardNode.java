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
import java.util.Base64;
import java.util.UUID;

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

  /** Starts a node on {@code vertx}; completes once every verticle listens and is registered. */
  public static Future<SwitchboardNode> start(Vertx vertx, NodeOptions options, Clock clock) {
    String nodeId = options.nodeId() != null ? options.nodeId() : "node-" + UUID.randomUUID().toString().substring(0, 8);
    boolean generatedSecret = options.jwtSecret() == null;
    String secret = generatedSecret ? randomSecret() : options.jwtSecret();
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    SwitchboardStore store = new InMemoryStore(options.decisionsKept());
    GatewayVerticle gateway = new GatewayVerticle(store, auth, new GatewayOptions(options.host(), options.httpPort(),
        options.tcpPort(), options.heartbeat(), options.maxFrameBytes(), options.framesPerSecond(),
        options.openTimeout()), nodeId, clock, router -> AdminApi.mount(router, store, auth, options.decisionsKept()));

    return readDirectory(vertx, options)
        .compose(directory -> loadDirectory(store, directory).map(directory))
        .compose(directory -> vertx.deployVerticle(new PresenceVerticle(store))
            .compose(id -> vertx.deployVerticle(new RouterVerticle(store, clock,
                new RouterOptions(options.offerTimeout(), options.disconnectGrace()))))
            .compose(id -> vertx.deployVerticle(gateway))
            .map(id -> {
              SwitchboardNode node = new SwitchboardNode(vertx, nodeId, auth, gateway);
              if (generatedSecret) {
                node.logDemoTokens(directory);
              }
              return node;
            }));
  }

  private static Future<DirectoryFile> readDirectory(Vertx vertx, NodeOptions options) {
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

  /** A client token for {@code user}, signed with this node's secret. */
  public String token(String user, int minutes) {
    return sign(new JsonObject().put("sub", user), minutes);
  }

  /** A token for the admin API ({@code "roles":["admin"]}), signed with this node's secret. */
  public String adminToken(int minutes) {
    return sign(new JsonObject().put("sub", "admin").put("roles", new JsonArray().add(AdminApi.ADMIN_ROLE)), minutes);
  }

  private String sign(JsonObject claims, int minutes) {
    return auth.generateToken(claims, new JWTOptions().setExpiresInMinutes(minutes));
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
      options = NodeOptions.parse(args, System.getenv());
    } catch (NodeOptions.InvalidOptionException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    start(vertx, options, Clock.systemUTC())
        .onSuccess(node -> {
          LOG.info("switchboard node {} started", node.nodeId());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "switchboard-shutdown"));
        })
        .onFailure(failure -> {
          LOG.error("switchboard failed to start: {}", failure.getMessage(), failure);
          vertx.close().onComplete(closed -> System.exit(1));
        });
  }
}
