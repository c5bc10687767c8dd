package io.switchboard.store.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of real {@code redis-server} masters (no replicas) on free loopback ports, joined with
 * {@code redis-cli --cluster create}; {@link #start()} returns once every node says {@code cluster_state:ok}.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.builder().masters(3).build().start()) { … cluster.nodes() … }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  public static final class Builder {
    private int masters = 3;

    private Builder() {
    }

    /** How many masters share the slots; Redis needs at least three. */
    Builder masters(int count) {
      masters = count;
      return this;
    }

    public RedisCluster build() {
      List<RedisServer> nodes = new ArrayList<>();
      for (int i = 0; i < masters; i++) {
        nodes.add(RedisServer.builder().clusterNode().build());
      }
      return new RedisCluster(nodes);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** The nodes as {@code host:port}. */
  public List<String> nodes() {
    return nodes.stream().map(RedisServer::address).toList();
  }

  public RedisCluster start() {
    nodes.forEach(RedisServer::start);
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    command.addAll(nodes());
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Path log = Files.createTempFile("redis-cluster-create-", ".log");
      Process create = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!create.waitFor(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || create.exitValue() != 0) {
        create.destroyForcibly();
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + Files.readString(log));
      }
      Files.delete(log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run redis-cli: it must be on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    awaitClusterOk();
    return this;
  }

  /** Waits until every node sees all slots served; the nodes learn of each other over their bus, not at once. */
  private void awaitClusterOk() {
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    for (RedisServer node : nodes) {
      while (!clusterOk(node)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster is not ok after " + JOIN_TIMEOUT + " on " + node.address());
        }
        RedisServer.pause(POLL_INTERVAL);
      }
    }
    LOG.debug("Redis Cluster ok on {}", nodes());
  }

  private boolean clusterOk(RedisServer node) {
    try {
      String info = node.call("CLUSTER", "INFO");
      return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384")
          && info.contains("cluster_known_nodes:" + nodes.size() + "\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes every key on every master. */
  public void flushAll() {
    nodes.forEach(RedisServer::flushAll);
  }

  /** Makes every master forget every script. */
  void flushScripts() {
    nodes.forEach(RedisServer::flushScripts);
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
