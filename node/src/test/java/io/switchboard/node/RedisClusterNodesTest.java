package io.switchboard.node;

import io.switchboard.store.redis.RedisCluster;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Two clustered nodes, each in its own JVM, on a real 3-master Redis Cluster. */
class RedisClusterNodesTest {

  @TempDir
  static Path dir;
  static RedisCluster redis;
  static Vertx vertx;
  static NodeProcess a;
  static NodeProcess b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisCluster.builder().build().start();
    vertx = Vertx.vertx();
    Path directory = dir.resolve("directory.json");
    Files.writeString(directory, NodeTestBase.directory().encode());
    List<String> common = ClusterTest.clusterOptions("--redis-cluster", String.join(",", redis.nodes()));
    a = NodeProcess.start("rc-a", dir, ClusterTest.with(common, "--directory", directory.toString()));
    b = NodeProcess.start("rc-b", dir, common);
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterTest.stopAll(vertx, redis, a, b);
  }

  @Test
  void twoNodesRoutingFiveHundredOpensAtOnceNeverExceedACapacity() {
    List<TestClient> clients = new ArrayList<>();
    try {
      List<TestClient> sources = new ArrayList<>();
      for (String source : List.of("abc", "bob", "carol")) {
        sources.add(connect(source.equals("bob") ? b : a, source, clients));
      }
      List<TestClient> members = NodeTestBase.RUSH_MEMBERS.stream()
          .map(member -> connect(member.compareTo("r3") < 0 ? a : b, member, clients)).toList();
      CapacityCheck.run(sources, members);
    } finally {
      clients.forEach(TestClient::close);
    }
  }

  private static TestClient connect(NodeProcess node, String user, List<TestClient> clients) {
    TestClient client = node.connect(vertx, user);
    clients.add(client);
    return client;
  }
}
