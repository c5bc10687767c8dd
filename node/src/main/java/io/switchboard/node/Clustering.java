package io.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The Vert.x instance a node runs on: a plain one for the embedded default, or a clustered one joined through
 * Hazelcast, configured by {@code cluster.xml} with the node's cluster name, address and TCP-IP members.
 */
final class Clustering {

  private Clustering() {
  }

  /** Called from {@code main} before any event loop runs: resolving the host name may block. */
  static Future<Vertx> vertx(NodeOptions options) {
    if (!options.cluster()) {
      return Future.succeededFuture(Vertx.vertx());
    }
    String address;
    try {
      // Hazelcast binds interfaces by IP address; operators may name the host (e.g. a container's name).
      address = InetAddress.getByName(options.clusterHost()).getHostAddress();
    } catch (UnknownHostException e) {
      return Future.failedFuture(new NodeOptions.InvalidOptionException("--cluster-host: unknown host " + options.clusterHost()));
    }
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.clusterName());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.clusterPort()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(address);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.clusterMembers());
    VertxOptions vertxOptions = new VertxOptions();
    vertxOptions.getEventBusOptions().setHost(address).setPort(0);
    return Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }
}
