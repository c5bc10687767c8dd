package io.switchboard.store.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * Where the Redis store lives and how patient it is: one server ({@code redis://host:port}, from {@code --redis}) or
 * the seed nodes of a Redis Cluster ({@code host:port}, from {@code --redis-cluster}); how long one request may take
 * (waiting included) before it fails with {@code store_unavailable}; how long one connection attempt (connecting,
 * handshake, loading the scripts) may take; the longest pause between reconnection attempts; how many routing
 * decisions are kept per virtual user; how many connections the node keeps (each event loop uses one of them), how
 * many requests each has in flight at most, and how many more may wait for it before requests are refused as busy;
 * for {@code rediss://} (TLS), the PEM file of the certificates that Redis's certificate is checked against (null:
 * the JVM's own trusted authorities).
 */
public record RedisStoreOptions(List<String> endpoints, boolean cluster, Duration requestTimeout,
                                Duration connectTimeout, Duration maxReconnectDelay, int decisionsKept,
                                int connections, int maxInFlight, int maxQueued, String trustedCertificates) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
  public static final int DEFAULT_DECISIONS_KEPT = 100;
  /** One per event loop of a default Vert.x instance (two per core), and one more for other threads. */
  public static final int DEFAULT_CONNECTIONS = 2 * Runtime.getRuntime().availableProcessors() + 1;
  public static final int DEFAULT_MAX_IN_FLIGHT = 512;
  public static final int DEFAULT_MAX_QUEUED = 10_000;

  public RedisStoreOptions {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("the Redis store needs at least one endpoint");
    }
    if (!cluster && endpoints.size() > 1) {
      throw new IllegalArgumentException("a standalone Redis has one endpoint, not " + endpoints);
    }
    endpoints.forEach(RedisStoreOptions::checkEndpoint);
    if (endpoints.stream().map(endpoint -> endpoint.startsWith("rediss://")).distinct().count() > 1) {
      throw new IllegalArgumentException("every Redis endpoint is redis:// or every one rediss://, not " + endpoints);
    }
    positive(requestTimeout, "the Redis request timeout");
    positive(connectTimeout, "the Redis connection timeout");
    positive(maxReconnectDelay, "the longest Redis reconnection delay");
    atLeastOne(decisionsKept, "decisions kept");
    atLeastOne(connections, "Redis connections");
    atLeastOne(maxInFlight, "Redis requests in flight per connection");
    if (maxQueued < 0) {
      throw new IllegalArgumentException("Redis requests waiting per connection must be at least 0, not " + maxQueued);
    }
  }

  /** One Redis server, e.g. {@code redis://localhost:6379}. */
  public static RedisStoreOptions standalone(String connectionString) {
    return new RedisStoreOptions(List.of(connectionString), false, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_DECISIONS_KEPT,
        DEFAULT_CONNECTIONS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED, null);
  }

  /** A Redis Cluster, by some of its nodes as {@code host:port} (or {@code redis://host:port}). */
  public static RedisStoreOptions cluster(List<String> nodes) {
    return new RedisStoreOptions(nodes.stream().map(node -> node.contains("://") ? node : "redis://" + node).toList(),
        true, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_DECISIONS_KEPT,
        DEFAULT_CONNECTIONS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED, null);
  }

  public RedisStoreOptions withRequestTimeout(Duration timeout) {
    return new RedisStoreOptions(endpoints, cluster, timeout, connectTimeout, maxReconnectDelay, decisionsKept,
        connections, maxInFlight, maxQueued, trustedCertificates);
  }

  public RedisStoreOptions withConnectTimeout(Duration timeout) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, timeout, maxReconnectDelay, decisionsKept,
        connections, maxInFlight, maxQueued, trustedCertificates);
  }

  public RedisStoreOptions withMaxReconnectDelay(Duration delay) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, connectTimeout, delay, decisionsKept,
        connections, maxInFlight, maxQueued, trustedCertificates);
  }

  public RedisStoreOptions withDecisionsKept(int kept) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, connectTimeout, maxReconnectDelay, kept,
        connections, maxInFlight, maxQueued, trustedCertificates);
  }

  /** Redis's certificate (rediss://) is checked against the certificates of this PEM file. */
  public RedisStoreOptions withTrustedCertificates(String pemFile) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, connectTimeout, maxReconnectDelay, decisionsKept,
        connections, maxInFlight, maxQueued, pemFile);
  }

  /** Whether the store talks TLS to Redis ({@code rediss://}). */
  public boolean tls() {
    return endpoints.get(0).startsWith("rediss://");
  }

  /** {@code connections} connections, each with at most {@code maxInFlight} requests in flight and {@code maxQueued} more waiting. */
  public RedisStoreOptions withConnections(int connections, int maxInFlight, int maxQueued) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, connectTimeout, maxReconnectDelay, decisionsKept,
        connections, maxInFlight, maxQueued, trustedCertificates);
  }

  private static void atLeastOne(int value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, not " + value);
    }
  }

  private static void positive(Duration duration, String what) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + duration);
    }
  }

  private static void checkEndpoint(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("a Redis endpoint reads redis://host:port (rediss:// for TLS), not " + endpoint);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("a Redis endpoint reads redis://host:port (rediss:// for TLS), not " + endpoint, e);
    }
  }
}
