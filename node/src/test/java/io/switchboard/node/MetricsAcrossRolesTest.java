package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/OPERATIONS.md §Metrics across roles: two node processes on a real Redis, one holding the connections
 * ({@code --roles gateway,presence}) and one routing ({@code --roles router}) with no gateway; each counts what its
 * roles do, and the router's metrics are served on its HTTP port all the same.
 */
class MetricsAcrossRolesTest {

  @TempDir
  static Path dir;
  private static NodeCluster cluster;
  private static NodeProcess gateway;
  private static NodeProcess router;

  @BeforeAll
  static void startCluster() {
    cluster = NodeCluster.start(dir, NodeTestBase.directory());
    gateway = cluster.loading("g", "--roles", "gateway,presence");
    router = cluster.join("r", "--roles", "router");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void theGatewayCountsTheOpenAndTheRouterNodeItsRoutingDecisionAndOffer() {
    TestClient abc = cluster.connect(gateway, "abc");
    TestClient m1 = cluster.connect(gateway, "m1");
    // near's chain is nearest alone, and m1 lives in Beijing with abc
    abc.send(new JsonObject().put("type", "open").put("id", "o1").put("to", "near"));
    String conversation = m1.next("offer").getString("conversation");
    NodeTestBase.assertOk(m1.request(new JsonObject().put("type", "accept").put("conversation", conversation)));
    assertEquals("opened", abc.next(frame -> "o1".equals(frame.getString("id"))).getString("type"));

    Scrape routed = Scrape.untilEquals(cluster.vertx, router.httpPort, "switchboard_routing_decisions_total", 1,
        "step", "nearest");
    assertEquals(1, routed.sum("switchboard_offers_seconds_count", "end", "accepted"));
    assertEquals(0, routed.sum("switchboard_opens_total"), "opens are the gateway's");
    assertTrue(routed.sum("switchboard_store_requests_seconds_count", "operation", "reserve") >= 1,
        "the router reserved m1 in the store");

    Scrape held = Scrape.untilEquals(cluster.vertx, gateway.httpPort, "switchboard_opens_total", 1, "outcome", "opened");
    assertEquals(2, held.sum("switchboard_connections", "transport", "websocket"));
    assertEquals(0, held.sum("switchboard_routing_decisions_total"), "routing is the router's");
  }
}
