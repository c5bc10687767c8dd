package io.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Vert.x instance a node runs on: a plain one for the embedded default, or a clustered one joined through
 * Hazelcast, configured by {@code cluster.xml} with the node's cluster name, address and TCP-IP members.
 */
final class Clustering {

  private Clustering() {
  }

  static Future<Vertx> vertx(NodeOptions options) {
    if (!options.cluster()) {
      return Future.succeededFuture(Vertx.vertx());
    }
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.clusterName());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.clusterPort()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(options.clusterHost());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.clusterMembers());
    VertxOptions vertxOptions = new VertxOptions();
    vertxOptions.getEventBusOptions().setHost(options.clusterHost()).setPort(0);
    return Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }
}
