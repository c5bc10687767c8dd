package io.switchboard.node;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
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
                          int gatewayInstances) {

  /** What a node runs (SPEC.md §6); every node runs all three unless told otherwise. */
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
    if (cluster && jwtSecret == null) {
      throw new InvalidOptionException("--cluster needs --jwt-secret: every node must accept the same tokens");
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
    HELP.put("jwt-secret", "HS256 secret for client tokens (default: a random one; demo tokens are logged)");
    HELP.put("node-id", "this node's name (default: generated)");
    HELP.put("heartbeat", "heartbeat announced to clients, ISO-8601; silent connections close after twice it (default PT30S)");
    HELP.put("max-frame-bytes", "largest frame accepted, in bytes (default 65536)");
    HELP.put("rate-limit", "most frames per second per connection (default 1000)");
    HELP.put("offer-timeout", "how long an offer to a common user waits, ISO-8601 (default PT15S)");
    HELP.put("disconnect-grace", "how long a user's conversations survive its last connection, ISO-8601 (default PT60S)");
    HELP.put("open-timeout", "longest an open request waits for all its offers, ISO-8601 (default PT10M)");
    HELP.put("decisions-kept", "routing decisions kept per virtual user (default 100)");
    HELP.put("lease", "how long a node's lease lasts; a node silent that long is dead and its users go offline (default PT3S)");
    HELP.put("gateway-instances", "gateway verticles, one per event loop, sharing the ports (default: the number of cores)");
    HELP.put("roles", "what this node runs: a comma-separated subset of gateway,router,presence (default all)");
    HELP.put("redis", "the shared store: a standalone Redis, e.g. redis://127.0.0.1:6379 (default: in this process)");
    HELP.put("redis-cluster", "the shared store: a Redis Cluster, as host:port,host:port,…");
    HELP.put("cluster", "join a Vert.x cluster over Hazelcast (cluster.xml); needs --redis or --redis-cluster (a flag)");
    HELP.put("cluster-name", "the cluster to join; nodes of other names ignore each other (default switchboard)");
    HELP.put("cluster-host", "this node's address for Hazelcast and the event bus (default 127.0.0.1)");
    HELP.put("cluster-port", "first Hazelcast port to try; the next free one is taken (default 5701)");
    HELP.put("cluster-members", "Hazelcast members to join, as host or host:port, comma-separated; a host alone is tried on the 20 ports from --cluster-port (default 127.0.0.1)");
  }

  /** Options that take no value: present means true. */
  private static final Set<String> FLAGS = Set.of("cluster");

  /** Thrown for an unknown option or a bad value; the message is meant for the operator. */
  public static final class InvalidOptionException extends IllegalArgumentException {
    InvalidOptionException(String message) {
      super(message);
    }
  }

  /** Reads options from {@code args} over {@code env}; throws {@link InvalidOptionException}. */
  public static NodeOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    HELP.keySet().forEach(name -> {
      String fromEnv = env.get("SWITCHBOARD_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (fromEnv != null) {
        values.put(name, fromEnv);
      }
    });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new InvalidOptionException("unexpected argument " + arg + " (see --help)");
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (FLAGS.contains(name)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new InvalidOptionException("--" + name + " needs a value");
      }
      if (!HELP.containsKey(name)) {
        throw new InvalidOptionException("unknown option --" + name + " (see --help)");
      }
      values.put(name, value);
    }
    return new NodeOptions(
        values.getOrDefault("host", "0.0.0.0"),
        read(values, "http-port", "8080", NodeOptions::port),
        read(values, "tcp-port", "7070", NodeOptions::port),
        values.containsKey("directory") ? Path.of(values.get("directory")) : null,
        values.get("jwt-secret"),
        values.get("node-id"),
        read(values, "heartbeat", "PT30S", NodeOptions::duration),
        read(values, "max-frame-bytes", "65536", text -> positive(text, 1024)),
        read(values, "rate-limit", "1000", text -> positive(text, 1)),
        read(values, "offer-timeout", "PT15S", NodeOptions::duration),
        read(values, "disconnect-grace", "PT60S", NodeOptions::duration),
        read(values, "open-timeout", "PT10M", NodeOptions::duration),
        read(values, "decisions-kept", "100", text -> positive(text, 1)),
        read(values, "lease", "PT3S", NodeOptions::duration),
        read(values, "roles", "gateway,router,presence", text -> list(text).stream().map(Role::parse)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)))),
        read(values, "cluster", "false", NodeOptions::bool),
        values.getOrDefault("cluster-name", "switchboard"),
        values.getOrDefault("cluster-host", "127.0.0.1"),
        read(values, "cluster-port", "5701", NodeOptions::port),
        read(values, "cluster-members", "127.0.0.1", NodeOptions::list),
        values.get("redis"),
        read(values, "redis-cluster", "", NodeOptions::list),
        read(values, "gateway-instances", String.valueOf(Runtime.getRuntime().availableProcessors()),
            text -> positive(text, 1)));
  }

  /** Usage text for {@code --help}. */
  public static String usage() {
    StringBuilder text = new StringBuilder("Usage: java -jar switchboard.jar [options]\n\nOptions (each also SWITCHBOARD_<NAME>, e.g. SWITCHBOARD_HTTP_PORT):\n");
    HELP.forEach((name, help) -> text.append(String.format("  --%-18s %s%n", name, help)));
    return text.toString();
  }

  private static <T> T read(Map<String, String> values, String name, String fallback, Function<String, T> parser) {
    String text = values.getOrDefault(name, fallback);
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw new InvalidOptionException("--" + name + ": " + e.getMessage());
    }
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

  private static int positive(String text, int min) {
    int value = Integer.parseInt(text.trim());
    if (value < min) {
      throw new IllegalArgumentException("must be at least " + min + ", not " + text);
    }
    return value;
  }

  private static Duration duration(String text) {
    try {
      Duration duration = Duration.parse(text.trim());
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("must be positive, not " + text);
      }
      return duration;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("an ISO-8601 duration such as PT30S, not " + text);
    }
  }
}
