package io.switchboard.node;

import io.switchboard.auth.TokenKeys;
import io.switchboard.store.redis.RedisStoreOptions;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A node's configuration, read once at start from command-line options, each of which may also come from an
 * environment variable ({@code --http-port} from {@code SWITCHBOARD_HTTP_PORT}); the command line wins.
 * A bad value fails start-up with a message that names the option.
 */
public record NodeOptions(String host, int httpPort, int tcpPort, Path directory, String jwtSecret, String nodeId,
                          Duration heartbeat, int maxFrameBytes, int framesPerSecond, Duration offerTimeout,
                          Duration disconnectGrace, Duration openTimeout, int decisionsKept, Duration lease,
                          Set<Role> roles, boolean cluster, String clusterName, String clusterHost, int clusterPort,
                          List<String> clusterMembers, String redis, List<String> redisCluster,
                          int gatewayInstances, int maxOutboundBytes, Duration maxTokenLifetime, Duration authTimeout,
                          Duration requestTimeout, boolean webSocketCompression, int maxPendingOpens,
                          int memberOffersPerSecond, Duration shutdownGrace, boolean directoryIfEmpty,
                          int maxMailboxMessages, int maxHeldMessages, SecurityOptions security, int clusterBusPort,
                          LogFormat logFormat, boolean metrics) {

  /** What a node runs (docs/ARCHITECTURE.md); every node runs all three unless told otherwise. */
  public enum Role {
    GATEWAY, ROUTER, PRESENCE;

    static Role parse(String name) {
      for (Role role : values()) {
        if (role.name().equalsIgnoreCase(name.trim())) {
          return role;
        }
      }
      throw new IllegalArgumentException("roles are gateway, router, presence; not " + name);
    }
  }

  public NodeOptions {
    roles = Set.copyOf(roles);
    clusterMembers = List.copyOf(clusterMembers);
    redisCluster = List.copyOf(redisCluster);
    if (redis != null && !redisCluster.isEmpty()) {
      throw new InvalidOptionException("--redis and --redis-cluster exclude each other");
    }
    if (cluster && redis == null && redisCluster.isEmpty()) {
      throw new InvalidOptionException("--cluster needs the shared store: give --redis or --redis-cluster");
    }
    if (cluster && security.clientKeys(jwtSecret) == null) {
      throw new InvalidOptionException("--cluster needs --jwt-secret (or --jwt-public-keys, --jwks-url): every node "
          + "must accept the same tokens");
    }
    if (security.redisCa() != null && !(redis != null ? List.of(redis) : redisCluster).stream()
        .allMatch(endpoint -> endpoint.startsWith("rediss://"))) {
      throw new InvalidOptionException("--redis-ca is for a Redis spoken to over TLS: give rediss:// addresses");
    }
    if (maxOutboundBytes < 2L * maxFrameBytes) {
      throw new InvalidOptionException("--max-outbound-bytes must be at least twice --max-frame-bytes ("
          + 2L * maxFrameBytes + "), not " + maxOutboundBytes);
    }
    if (!cluster && roles.size() < Role.values().length) {
      throw new InvalidOptionException("--roles splits roles across a cluster: give --cluster too");
    }
  }

  /** Whether the shared state lives in Redis rather than in this process. */
  public boolean usesRedis() {
    return redis != null || !redisCluster.isEmpty();
  }

  /** Every option with its help text, in the order {@code --help} lists them. */
  static final Map<String, String> HELP = new LinkedHashMap<>();

  static {
    HELP.put("host", "address to listen on (default 0.0.0.0)");
    HELP.put("http-port", "HTTP port serving GET /ws (default 8080)");
    HELP.put("tcp-port", "TCP port for line-based JSON frames (default 7070)");
    HELP.put("directory", "directory JSON file {\"users\":[…],\"virtualUsers\":[…]} (default: the demo shop)");
    HELP.put("directory-if-empty", "load --directory only into a store that holds no directory yet, so that a restart keeps what the admin API changed (a flag)");
    HELP.put("jwt-secret", "HS256 secret for client tokens (default: a random one; demo tokens are logged)");
    HELP.put("node-id", "this node's name (default: generated)");
    HELP.put("heartbeat", "heartbeat announced to clients, ISO-8601, PT0.1S to PT10M; silent connections close after twice it (default PT30S)");
    HELP.put("max-frame-bytes", "largest frame accepted, in bytes, 1024 to 16777216 (default 65536)");
    HELP.put("max-outbound-bytes", "most bytes waiting to be sent to one client; a client that does not read is disconnected past it, 65536 to 1073741824 and at least twice --max-frame-bytes (default 4194304)");
    HELP.put("rate-limit", "most frames per second per connection, 1 to 1000000 (default 1000)");
    HELP.put("auth-timeout", "how long a connection may take to authenticate, ISO-8601, PT0.1S to PT10M (default PT10S)");
    HELP.put("request-timeout", "how long an HTTP request may take to arrive whole, ISO-8601, PT0.1S to PT10M (default PT10S)");
    HELP.put("max-token-lifetime", "longest a token may last (its exp from now and from its iat), ISO-8601, PT1M to P30D (default PT24H)");
    HELP.put("websocket-compression", "let WebSocket clients compress (permessage-deflate); see docs/CONFIGURATION.md before enabling (a flag; default off)");
    HELP.put("offer-timeout", "how long an offer to a common user waits, ISO-8601, PT0.1S to PT1H (default PT15S)");
    HELP.put("disconnect-grace", "how long a user's conversations survive its last connection, ISO-8601, PT0.1S to PT24H (default PT60S)");
    HELP.put("open-timeout", "longest an open request waits for all its offers, ISO-8601, PT0.1S to PT24H (default PT10M)");
    HELP.put("decisions-kept", "routing decisions kept per virtual user, 1 to 10000 (default 100)");
    HELP.put("lease", "how long a node's lease lasts; a node silent that long is dead and its users go offline, PT0.1S to PT10M (default PT3S)");
    HELP.put("gateway-instances", "gateway verticles, one per event loop, sharing the ports, 1 to 4 x the cores (default: the number of cores)");
    HELP.put("max-pending-opens", "most opens one source may have waiting for an answer, per destination, 1 to 10000 (default 1)");
    HELP.put("member-offers-per-second", "most conversations offered to one member in a second; more go to other members, 1 to 1000000 (default 20)");
    HELP.put("max-mailbox-messages", "most messages waiting for one user without a connection; a full mailbox refuses more, 1 to 1000000 (default 1000)");
    HELP.put("max-held-messages", "most messages one user's rules hold; a full list refuses more, 1 to 10000000 (default 100000)");
    HELP.put("shutdown-grace", "on SIGTERM, how long clients get to go before the node gives up its sessions, ISO-8601, PT0.1S to PT10M (default PT10S)");
    HELP.put("metrics", "serve this node's metrics in Prometheus text at GET /metrics, true or false (default true; false records nothing)");
    HELP.put("log-format", "text (a UTC date on each line) or json (one JSON object a line: Logback's JsonEncoder) (default text)");
    HELP.put("roles", "what this node runs: a comma-separated subset of gateway,router,presence (default all)");
    HELP.put("redis", "the shared store: a standalone Redis, e.g. redis://127.0.0.1:6379 (default: in this process)");
    HELP.put("redis-cluster", "the shared store: a Redis Cluster, as host:port,host:port,…");
    HELP.put("cluster", "join a Vert.x cluster over Hazelcast (cluster.xml); needs --redis or --redis-cluster (a flag)");
    HELP.put("cluster-name", "the cluster to join; nodes of other names ignore each other (default switchboard)");
    HELP.put("cluster-host", "this node's address for Hazelcast and the event bus (default 127.0.0.1)");
    HELP.put("cluster-port", "first Hazelcast port to try; the next free one is taken (default 5701)");
    HELP.put("cluster-bus-port", "this node's event-bus port, where the other nodes send it messages; open it between nodes (default 0: a random free port)");
    HELP.put("tls-cert", "PEM certificate (chain) the WebSocket, TCP and admin ports serve TLS with; with --tls-key (default: plain)");
    HELP.put("tls-key", "PEM private key of --tls-cert (PKCS#8 or PKCS#1)");
    HELP.put("jwt-public-keys", "PEM public key files, comma-separated, that also verify client tokens: RSA keys RS256, P-256 keys ES256");
    HELP.put("jwks-url", "JWKS URL (http or https) whose RS256/ES256 keys also verify client tokens; fetched at start and every 10 minutes");
    HELP.put("admin-jwt-secret", "HS256 secret for admin tokens only; with it (or --admin-jwt-public-keys) client keys no longer verify admin tokens");
    HELP.put("admin-jwt-public-keys", "PEM public key files, comma-separated, that verify admin tokens only");
    HELP.put("admin-port", "serve the admin API (and health checks) on this port instead of --http-port (default: on --http-port)");
    HELP.put("redis-ca", "PEM certificates that a rediss:// Redis's certificate must chain to (default: the JVM's trusted authorities)");
    HELP.put("cluster-members", "Hazelcast members to join, as host or host:port, comma-separated; a host alone is tried on the 20 ports from --cluster-port (default 127.0.0.1)");
  }

  /** Options that take no value: present means true. */
  static final Set<String> FLAGS = Set.of("cluster", "websocket-compression", "directory-if-empty");
  private static final Duration SHORTEST = Duration.ofMillis(100);
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** Thrown for an unknown option or a bad value; the message is meant for the operator. */
  public static final class InvalidOptionException extends IllegalArgumentException {
    InvalidOptionException(String message) {
      super(message);
    }
  }

  /**
   * Reads a node's options from {@code args} over {@code env}; throws {@link InvalidOptionException}, also for a
   * command line that asks for something else (help, a token).
   */
  public static NodeOptions parse(String[] args, Map<String, String> env) {
    if (NodeCommandLine.parse(args, env) instanceof NodeCommandLine.Run run) {
      return run.options();
    }
    throw new InvalidOptionException("not a node's command line: " + String.join(" ", args));
  }

  /** The environment variable that sets option {@code name}: {@code http-port} from {@code SWITCHBOARD_HTTP_PORT}. */
  static String variable(String name) {
    return "SWITCHBOARD_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Options from the values given on the command line (name without dashes → value) over {@code env}. */
  static NodeOptions from(Map<String, String> given, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    Set<String> fromEnv = new HashSet<>();
    HELP.keySet().forEach(name -> {
      String value = env.get(variable(name));
      if (value != null && !given.containsKey(name)) {
        values.put(name, value);
        fromEnv.add(name);
      }
    });
    values.putAll(given);
    Source source = new Source(values, fromEnv);
    return new NodeOptions(
        source.values().getOrDefault("host", "0.0.0.0"),
        source.read("http-port", "8080", NodeOptions::port),
        source.read("tcp-port", "7070", NodeOptions::port),
        source.optional("directory", NodeOptions::existingFile),
        source.values().get("jwt-secret"),
        source.values().get("node-id"),
        source.read("heartbeat", "PT30S", text -> duration(text, SHORTEST, Duration.ofMinutes(10))),
        source.read("max-frame-bytes", "65536", text -> integer(text, 1024, 16 << 20)),
        source.read("rate-limit", "1000", text -> integer(text, 1, 1_000_000)),
        source.read("offer-timeout", "PT15S", text -> duration(text, SHORTEST, Duration.ofHours(1))),
        source.read("disconnect-grace", "PT60S", text -> duration(text, SHORTEST, Duration.ofHours(24))),
        source.read("open-timeout", "PT10M", text -> duration(text, SHORTEST, Duration.ofHours(24))),
        source.read("decisions-kept", "100", text -> integer(text, 1, 10_000)),
        source.read("lease", "PT3S", text -> duration(text, SHORTEST, Duration.ofMinutes(10))),
        source.read("roles", "gateway,router,presence", text -> list(text).stream().map(Role::parse)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)))),
        source.read("cluster", "false", NodeOptions::bool),
        source.values().getOrDefault("cluster-name", "switchboard"),
        source.values().getOrDefault("cluster-host", "127.0.0.1"),
        source.read("cluster-port", "5701", NodeOptions::port),
        source.read("cluster-members", "127.0.0.1", NodeOptions::list),
        source.optional("redis", NodeOptions::redisUri),
        source.read("redis-cluster", "", text -> redisNodes(list(text))),
        source.read("gateway-instances", String.valueOf(CORES), text -> integer(text, 1, 4 * CORES)),
        source.read("max-outbound-bytes", String.valueOf(4 << 20), text -> integer(text, 64 << 10, 1 << 30)),
        source.read("max-token-lifetime", "PT24H", text -> duration(text, Duration.ofMinutes(1), Duration.ofDays(30))),
        source.read("auth-timeout", "PT10S", text -> duration(text, SHORTEST, Duration.ofMinutes(10))),
        source.read("request-timeout", "PT10S", text -> duration(text, SHORTEST, Duration.ofMinutes(10))),
        source.read("websocket-compression", "false", NodeOptions::bool),
        source.read("max-pending-opens", "1", text -> integer(text, 1, 10_000)),
        source.read("member-offers-per-second", "20", text -> integer(text, 1, 1_000_000)),
        source.read("shutdown-grace", "PT10S", text -> duration(text, SHORTEST, Duration.ofMinutes(10))),
        source.read("directory-if-empty", "false", NodeOptions::bool),
        source.read("max-mailbox-messages", "1000", text -> integer(text, 1, 1_000_000)),
        source.read("max-held-messages", "100000", text -> integer(text, 1, 10_000_000)),
        new SecurityOptions(
            source.optional("tls-cert", NodeOptions::existingFile),
            source.optional("tls-key", NodeOptions::existingFile),
            source.read("jwt-public-keys", "", NodeOptions::publicKeys),
            source.optional("jwks-url", NodeOptions::httpUrl),
            source.values().get("admin-jwt-secret"),
            source.read("admin-jwt-public-keys", "", NodeOptions::publicKeys),
            source.optional("admin-port", NodeOptions::port),
            source.optional("redis-ca", NodeOptions::existingFile)),
        source.read("cluster-bus-port", "0", NodeOptions::port),
        source.read("log-format", "text", LogFormat::parse),
        source.read("metrics", "true", NodeOptions::bool));
  }

  /** Usage text for {@code --help}. */
  public static String usage() {
    return NodeCommandLine.usage();
  }

  /** The values an option set came from: a bad one is named as the operator gave it (option or variable). */
  private record Source(Map<String, String> values, Set<String> fromEnv) {

    <T> T read(String name, String fallback, Function<String, T> parser) {
      String text = values.getOrDefault(name, fallback);
      try {
        return parser.apply(text);
      } catch (RuntimeException e) {
        String origin = fromEnv.contains(name) ? " (from " + variable(name) + ")" : "";
        throw new InvalidOptionException("--" + name + origin + ": " + e.getMessage());
      }
    }

    /** The value of an option without a default, or null when it is not given. */
    <T> T optional(String name, Function<String, T> parser) {
      return values.containsKey(name) ? read(name, null, parser) : null;
    }
  }

  private static Path existingFile(String text) {
    Path file = Path.of(text);
    // Not only regular files: a pipe (a shell's <(…), a mounted secret) reads as well.
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new IllegalArgumentException("no readable file " + file.toAbsolutePath());
    }
    return file;
  }

  /** The contents of PEM public key files, each checked to verify RS256 or ES256. */
  private static List<String> publicKeys(String text) {
    List<String> keys = new ArrayList<>();
    for (String file : list(text)) {
      try {
        keys.add(Files.readString(existingFile(file)));
        new TokenKeys(null, keys.subList(keys.size() - 1, keys.size()), null);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage());
      }
    }
    return keys;
  }

  private static String httpUrl(String text) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return text;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new IllegalArgumentException("an http:// or https:// URL, not " + text);
  }

  /** Checked as the store will read it, so that a bad address stops the node here, naming the option. */
  private static String redisUri(String text) {
    RedisStoreOptions.standalone(text);
    return text;
  }

  private static List<String> redisNodes(List<String> nodes) {
    if (!nodes.isEmpty()) {
      RedisStoreOptions.cluster(nodes);
    }
    return nodes;
  }

  private static List<String> list(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
  }

  private static boolean bool(String text) {
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException("true or false, not " + text);
    }
    return Boolean.parseBoolean(text);
  }

  private static int port(String text) {
    int port = Integer.parseInt(text.trim());
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0 to 65535, not " + text);
    }
    return port;
  }

  private static int integer(String text, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number from " + min + " to " + max + ", not " + text);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("must be " + min + " to " + max + ", not " + text);
    }
    return value;
  }

  private static Duration duration(String text, Duration min, Duration max) {
    Duration duration;
    try {
      duration = Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("an ISO-8601 duration such as PT30S, not " + text);
    }
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw new IllegalArgumentException("must be " + min + " to " + max + ", not " + text);
    }
    return duration;
  }
}
