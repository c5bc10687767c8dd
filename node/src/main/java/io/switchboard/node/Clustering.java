package io.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.switchboard.metrics.PrometheusMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The Vert.x instance a node runs on: a plain one for the embedded default, or a clustered one joined through
 * Hazelcast, configured by {@code cluster.xml} with the node's cluster name, address and TCP-IP members.
 * Hazelcast listens on the cluster host only, never on every interface. With metrics on, the instance reports its own
 * (event bus, servers, pools) and the JVM's with the node's.
 */
final class Clustering {

  private Clustering() {
  }

  /** Called from {@code main} before any event loop runs: resolving the host name may block. */
  static Future<Vertx> vertx(NodeOptions options) {
    VertxOptions vertxOptions = new VertxOptions();
    VertxBuilder builder = Vertx.builder();
    PrometheusMetrics metrics = options.metrics() ? PrometheusMetrics.instrument(vertxOptions, builder) : null;
    Future<Vertx> built = options.cluster() ? clustered(options, vertxOptions, builder)
        : Future.succeededFuture(builder.with(vertxOptions).build());
    return metrics == null ? built : built.map(metrics::installOn);
  }

  private static Future<Vertx> clustered(NodeOptions options, VertxOptions vertxOptions, VertxBuilder builder) {
    String address;
    try {
      // Hazelcast binds interfaces by IP address; operators may name the host (e.g. a container's name).
      address = InetAddress.getByName(options.clusterHost()).getHostAddress();
    } catch (UnknownHostException e) {
      return Future.failedFuture(new NodeOptions.InvalidOptionException("--cluster-host: unknown host " + options.clusterHost()));
    }
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.clusterName());
    // Listen on the cluster host alone: by default Hazelcast binds every interface, whatever interface it uses.
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.clusterPort()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(address);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.clusterMembers());
    String busHost = address;
    vertxOptions.getEventBusOptions().setHost(busHost).setPort(options.clusterBusPort());
    return builder.with(vertxOptions).withClusterManager(new HazelcastClusterManager(config)).buildClustered()
        .recover(failure -> Future.failedFuture(options.clusterBusPort() != 0 && String.valueOf(failure.getMessage())
            .contains("Address already in use")
            ? new NodeOptions.InvalidOptionException("--cluster-bus-port " + options.clusterBusPort()
                + ": cannot listen on " + busHost + ":" + options.clusterBusPort() + ": " + failure.getMessage())
            : failure));
  }
}
