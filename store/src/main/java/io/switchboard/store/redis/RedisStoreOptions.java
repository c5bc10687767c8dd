package io.switchboard.store.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * Where the Redis store lives and how patient it is: one server ({@code redis://host:port}, from {@code --redis}) or
 * the seed nodes of a Redis Cluster ({@code host:port}, from {@code --redis-cluster}); how long one request may take
 * before it fails with {@code store_unavailable}; how long one connection attempt (connecting, handshake, loading
 * the scripts) may take; the longest pause between reconnection attempts; and how many routing decisions are kept
 * per virtual user.
 */
public record RedisStoreOptions(List<String> endpoints, boolean cluster, Duration requestTimeout,
                                Duration connectTimeout, Duration maxReconnectDelay, int decisionsKept) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
  public static final int DEFAULT_DECISIONS_KEPT = 100;

  public RedisStoreOptions {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("the Redis store needs at least one endpoint");
    }
    if (!cluster && endpoints.size() > 1) {
      throw new IllegalArgumentException("a standalone Redis has one endpoint, not " + endpoints);
    }
    endpoints.forEach(RedisStoreOptions::checkEndpoint);
    positive(requestTimeout, "the Redis request timeout");
    positive(connectTimeout, "the Redis connection timeout");
    positive(maxReconnectDelay, "the longest Redis reconnection delay");
    if (decisionsKept < 1) {
      throw new IllegalArgumentException("decisions kept must be at least 1, not " + decisionsKept);
    }
  }

  /** One Redis server, e.g. {@code redis://localhost:6379}. */
  public static RedisStoreOptions standalone(String connectionString) {
    return new RedisStoreOptions(List.of(connectionString), false, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_DECISIONS_KEPT);
  }

  /** A Redis Cluster, by some of its nodes as {@code host:port} (or {@code redis://host:port}). */
  public static RedisStoreOptions cluster(List<String> nodes) {
    return new RedisStoreOptions(nodes.stream().map(node -> node.contains("://") ? node : "redis://" + node).toList(),
        true, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_DECISIONS_KEPT);
  }

  public RedisStoreOptions withRequestTimeout(Duration timeout) {
    return new RedisStoreOptions(endpoints, cluster, timeout, connectTimeout, maxReconnectDelay, decisionsKept);
  }

  public RedisStoreOptions withConnectTimeout(Duration timeout) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, timeout, maxReconnectDelay, decisionsKept);
  }

  public RedisStoreOptions withMaxReconnectDelay(Duration delay) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, connectTimeout, delay, decisionsKept);
  }

  public RedisStoreOptions withDecisionsKept(int kept) {
    return new RedisStoreOptions(endpoints, cluster, requestTimeout, connectTimeout, maxReconnectDelay, kept);
  }

  private static void positive(Duration duration, String what) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + duration);
    }
  }

  private static void checkEndpoint(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("a Redis endpoint reads redis://host:port, not " + endpoint);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("a Redis endpoint reads redis://host:port, not " + endpoint, e);
    }
  }
}
