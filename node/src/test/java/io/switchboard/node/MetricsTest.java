package io.switchboard.node;

import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/OPERATIONS.md: each metric of a node, driven by real WebSocket and TCP clients and read back from
 * {@code GET /metrics} over HTTP, as Prometheus would.
 */
class MetricsTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--auth-timeout", "PT2S", "--max-mailbox-messages", "2", "--max-held-messages", "2"};
  }

  private Scrape until(String name, double expected, String... labels) {
    return Scrape.untilEquals(vertx, node.node.httpPort(), name, expected, labels);
  }

  @Test
  void connectionsAreCountedByTransportWhileOpenAndOnceAccepted() {
    connect("abc");
    TestClient tcp = connectTcp("bob");
    connectTcp("carol");
    until("switchboard_connections", 1, "transport", "websocket");
    until("switchboard_connections", 2, "transport", "tcp");

    tcp.close();
    Scrape scrape = until("switchboard_connections", 1, "transport", "tcp");
    assertEquals(1, scrape.sum("switchboard_connections", "transport", "websocket"));
    assertEquals(2, scrape.sum("switchboard_connections_opened_total", "transport", "tcp"));
    assertEquals(1, scrape.sum("switchboard_connections_opened_total", "transport", "websocket"));
  }

  @Test
  void authenticationsAreCountedByResult() {
    connect("abc");
    connectTcp("bob");
    TestClient forged = webSocket();
    forged.expectError(forged.request(frame("auth").put("token", "not.a.jwt")), "unauthenticated");
    TestClient stranger = tcp();
    stranger.expectError(stranger.request(frame("auth").put("token", node.token("nobody"))), "unauthenticated");
    TestClient tokenless = tcp();
    tokenless.expectError(tokenless.request(frame("auth")), "unauthenticated");
    TestClient silent = webSocket();

    silent.next(frame -> "error".equals(frame.getString("type")));
    Scrape scrape = until("switchboard_authentications_total", 1, "result", "timed_out");
    assertEquals(2, scrape.sum("switchboard_authentications_total", "result", "accepted"));
    assertEquals(3, scrape.sum("switchboard_authentications_total", "result", "rejected"));
    assertEquals(0, scrape.sum("switchboard_authentications_total", "result", "failed"));
  }

  @Test
  void opensAreCountedByOutcomeAndTheSetupOfEachOpenedOneIsTimed() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    openAccepted(abc, "bob", bob);
    abc.expectError(abc.request(frame("open").put("to", "nobody")), "not_found");
    abc.expectError(abc.request(frame("open").put("to", "carol")), "unavailable");

    Scrape scrape = until("switchboard_opens_total", 1, "outcome", "unavailable");
    assertEquals(1, scrape.sum("switchboard_opens_total", "outcome", "opened"));
    assertEquals(1, scrape.sum("switchboard_opens_total", "outcome", "not_found"));
    assertEquals(1, scrape.sum("switchboard_setup_seconds_count"), "only opened ones are timed");
    assertEquals(1, scrape.sum("switchboard_setup_seconds_bucket", "le", "+Inf"));
    assertTrue(scrape.sum("switchboard_setup_seconds_sum") > 0);
  }

  @Test
  void opensThatWaitInAQueueAreCounted() {
    AdminClient admin = node.admin();
    admin.put("/api/v1/users/carol", new JsonObject().put("maxConversations", 1)).ok();
    admin.put("/api/v1/virtual-users/line", new JsonObject().put("members", new JsonArray().add("carol"))
        .put("policy", new JsonObject().put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M")))).ok();
    TestClient carol = connect("carol");
    openAccepted(connect("abc"), "line", carol);
    TestClient bob = connectTcp("bob");
    bob.send(frame("open").put("id", "waits").put("to", "line"));
    assertEquals(1, bob.next("queued").getInteger("position"));

    Scrape scrape = until("switchboard_opens_queued_total", 1);
    assertEquals(1, scrape.sum("switchboard_opens_total", "outcome", "opened"), "the waiting one has not ended");
  }

  @Test
  void routingDecisionsAreCountedByThePolicyStepThatSelected() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    // near's chain is nearest alone: m1 lives in Beijing with abc
    openAccepted(abc, "near", m1);
    // shop's default chain selects m1; once m1 declines, nobody is left to select
    abc.send(frame("open").put("id", "to-shop").put("to", "shop"));
    JsonObject offer = m1.next("offer");
    assertOk(m1.request(frame("decline").put("conversation", offer.getString("conversation"))));
    abc.expectError(abc.next(frame -> "to-shop".equals(frame.getString("id"))), "unavailable");

    Scrape scrape = until("switchboard_routing_decisions_total", 1, "step", "none");
    assertEquals(1, scrape.sum("switchboard_routing_decisions_total", "step", "nearest"));
    assertEquals(3, scrape.sum("switchboard_routing_decisions_total"), scrape.series.toString());
  }

  @Test
  void offersAreTimedByHowTheyEnded() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    openAccepted(abc, "shop", m1);

    abc.send(frame("open").put("id", "declined").put("to", "shop"));
    assertOk(m1.request(frame("decline").put("conversation", m1.next("offer").getString("conversation"))));
    abc.expectError(abc.next(frame -> "declined".equals(frame.getString("id"))), "unavailable");

    // shop's offers time out after a second
    abc.send(frame("open").put("id", "unanswered").put("to", "shop"));
    m1.next("offer");
    abc.expectError(abc.next(frame -> "unanswered".equals(frame.getString("id"))), "timeout");

    TestClient carol = connect("carol");
    carol.send(frame("open").put("id", "left").put("to", "shop"));
    m1.next("offer");
    carol.close();
    m1.next("offer-withdrawn");

    Scrape scrape = until("switchboard_offers_seconds_count", 1, "end", "withdrawn");
    assertEquals(1, scrape.sum("switchboard_offers_seconds_count", "end", "accepted"));
    assertEquals(1, scrape.sum("switchboard_offers_seconds_count", "end", "declined"));
    assertEquals(1, scrape.sum("switchboard_offers_seconds_count", "end", "timed_out"));
    assertTrue(scrape.sum("switchboard_offers_seconds_sum", "end", "timed_out") >= 1, "waited for the timeout");
    assertEquals(1, scrape.sum("switchboard_offers_seconds_bucket", "end", "accepted", "le", "+Inf"));
  }

  @Test
  void messagesAreCountedByWhatHappenedToThem() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    assertOk(bob.request(frame("set-rules").put("document", new JsonObject().put("rules", new JsonArray()
        .add(rule("no-spam", 1, new JsonObject().put("content", new JsonObject().put("regex", "(?i)buy now")),
            new JsonObject().put("drop", true)))
        .add(rule("fyi", 2, new JsonObject().put("content", new JsonObject().put("keywords", new JsonArray().add("fyi"))),
            new JsonObject().put("transcript", true)))
        .add(rule("hold-when-busy", 3, new JsonObject().put("status", new JsonArray().add("busy")),
            new JsonObject().put("hold", true)))))));
    String conversation = openAccepted(abc, "bob", bob);

    send(abc, conversation, "hello");
    bob.next("message");
    send(abc, conversation, "BUY NOW");
    send(abc, conversation, "fyi: closed on Monday");
    setStatus(bob, "busy");
    send(abc, conversation, "are you there?");
    send(abc, conversation, "still there?");
    abc.expectError(abc.request(frame("send").put("conversation", conversation).put("body", "hello?")), "unavailable");
    assertEquals("held", bob.next(frame -> "notice".equals(frame.getString("type"))
        && "held".equals(frame.getString("action")) && frame.getInteger("count") == 2).getString("action"));
    setStatus(bob, "online");
    assertEquals(2, bob.next(frame -> "notice".equals(frame.getString("type"))
        && "released".equals(frame.getString("action"))).getInteger("count"));

    Scrape scrape = until("switchboard_messages_released_total", 2);
    assertEquals(5, scrape.sum("switchboard_messages_acked_total"), "the refused one is not acked");
    assertEquals(1, scrape.sum("switchboard_messages_dropped_total", "reason", "held_full"));
    assertEquals(1, scrape.sum("switchboard_messages_relayed_total"));
    assertEquals(2, scrape.sum("switchboard_messages_held_total"));
    assertEquals(1, scrape.sum("switchboard_messages_dropped_total", "reason", "rule"));
    assertEquals(1, scrape.sum("switchboard_messages_dropped_total", "reason", "transcript_only"));
  }

  @Test
  void messagesForAUserWithoutAConnectionAreQueuedUntilItsMailboxIsFullAndItsDepthIsRecordedWhenItConnects() {
    TestClient abc = connect("abc");
    TestClient bob = connectTcp("bob");
    String conversation = openAccepted(abc, "bob", bob);
    assertOk(abc.request(frame("watch").put("users", new JsonArray().add("bob"))));
    bob.close();
    abc.next(frame -> "presence".equals(frame.getString("type")) && "offline".equals(frame.getString("status")));
    send(abc, conversation, "one");
    send(abc, conversation, "two");
    abc.expectError(abc.request(frame("send").put("conversation", conversation).put("body", "three")), "unavailable");
    until("switchboard_messages_queued_total", 2);
    until("switchboard_messages_dropped_total", 1, "reason", "mailbox_full");

    TestClient back = connectTcp("bob");
    assertEquals("one", back.next("message").getString("body"));
    assertEquals("two", back.next("message").getString("body"));
    // bob's first connection found an empty mailbox, its second two messages
    Scrape scrape = until("switchboard_mailbox_depth_count", 3);
    assertEquals(2, scrape.sum("switchboard_mailbox_depth_sum"));
    assertEquals(2, scrape.sum("switchboard_mailbox_depth_max"));
    assertEquals(2, scrape.sum("switchboard_mailbox_depth_bucket", "le", "1.0"));
    assertEquals(3, scrape.sum("switchboard_mailbox_depth_bucket", "le", "10.0"));
    assertEquals(0, scrape.sum("switchboard_messages_relayed_total"));
  }

  @Test
  void theNodeLeaseAgeIsTheTimeSinceItsLastRenewal() {
    double age = Scrape.until(vertx, node.node.httpPort(), "switchboard_node_lease_age_seconds",
        value -> !Double.isNaN(value), new String[0]).sum("switchboard_node_lease_age_seconds");
    assertTrue(age >= 0 && age < 3600, "seconds since the last renewal: " + age);
  }

  /** On Redis: each store request is timed by operation; what Redis cannot answer is a failure, and the lease ages. */
  @Test
  void storeRequestsAreTimedAndFailuresCountedByOperationAndTheLeaseAgesWhileTheStoreIsAway() {
    try (RedisServer redis = RedisServer.builder().build().start()) {
      Vertx other = Vertx.vertx();
      List<TestClient> clients = new ArrayList<>();
      try {
        TestNode onRedis = TestNode.start(other, tempDir, directory(), "--redis", redis.uri(), "--lease", "PT1S");
        int port = onRedis.node.httpPort();
        TestClient abc = onRedis.connect("abc");
        clients.add(abc);
        clients.add(onRedis.connectTcp("bob"));
        TestClient bob = clients.get(1);
        String conversation = openAccepted(abc, "bob", bob);
        send(abc, conversation, "stored");
        Scrape scrape = Scrape.until(other, port, "switchboard_store_requests_seconds_count", value -> value >= 1,
            "operation", "append");
        assertTrue(scrape.sum("switchboard_store_requests_seconds_count", "operation", "get") >= 1,
            "a user's profile is read with GET");
        assertEquals(0, scrape.sum("switchboard_store_failures_total"));

        redis.freeze();
        try {
          Scrape.until(other, port, "switchboard_node_lease_age_seconds", age -> age > 1);
        } finally {
          redis.thaw();
        }
        redis.kill();
        abc.expectError(abc.request(frame("send").put("conversation", conversation).put("body", "lost")),
            "store_unavailable");
        TestClient late = TestClient.webSocket(other, port);
        clients.add(late);
        late.expectError(late.request(frame("auth").put("token", onRedis.token("carol"))), "store_unavailable");
        scrape = Scrape.until(other, port, "switchboard_store_failures_total", value -> value >= 1,
            "operation", "append", "code", "store_unavailable");
        assertEquals(1, scrape.sum("switchboard_authentications_total", "result", "failed"));
        assertTrue(scrape.sum("switchboard_store_failures_total", "operation", "get") >= 1, "carol's profile");
      } finally {
        clients.forEach(TestClient::close);
        TestClient.await(other.close());
      }
    }
  }

  /** The Vert.x instance a node runs on (as {@code main} builds it) reports its own metrics and the JVM's too. */
  @Test
  void theVertxInstanceAndTheJvmAreMeasuredUnderTheSamePrefix() {
    String[] args = {"--host", "127.0.0.1"};
    Vertx instrumented = TestClient.await(Clustering.vertx(NodeOptions.parse(args, Map.of())));
    List<TestClient> clients = new ArrayList<>();
    try {
      TestNode measured = TestNode.start(instrumented, tempDir, directory());
      TestClient abc = measured.connect("abc");
      clients.add(abc);
      TestClient bob = measured.connectTcp("bob");
      clients.add(bob);
      send(abc, openAccepted(abc, "bob", bob), "hi");
      Scrape scrape = Scrape.until(instrumented, measured.node.httpPort(),
          "switchboard_vertx_http_server_active_connections", value -> value >= 1);
      assertTrue(scrape.sum("switchboard_vertx_net_server_active_connections") >= 1, "bob's TCP connection");
      assertTrue(scrape.sum("switchboard_vertx_eventbus_processed_total") >= 1, "the event bus");
      assertTrue(scrape.has("switchboard_jvm_memory_used_bytes"), "the JVM");
      assertTrue(scrape.sum("switchboard_messages_acked_total") == 1, "Switchboard's own");
      List<String> others = new ArrayList<>();
      scrape.series.stream().filter(series -> !series.name().startsWith("switchboard_")).forEach(series -> others.add(series.name()));
      assertEquals(List.of(), others, "every metric is named switchboard_…");
      // a series per reply would grow without bound
      assertFalse(scrape.series.stream().anyMatch(series -> series.labels().values().stream()
          .anyMatch(value -> value.startsWith("__vertx"))), "no series is named after a reply address");
    } finally {
      clients.forEach(TestClient::close);
      TestClient.await(instrumented.close());
    }
  }

  /** With the admin API on a port of its own, Prometheus may scrape either port. */
  @Test
  void theMetricsAreOnTheAdminPortToo() {
    Vertx other = Vertx.vertx();
    TestClient abc = null;
    try {
      TestNode withAdminPort = TestNode.start(other, tempDir, directory(), "--admin-port",
          String.valueOf(NodeProcess.freePort()));
      abc = withAdminPort.connect("abc");
      Scrape.untilEquals(other, withAdminPort.node.adminPort(), "switchboard_connections", 1, "transport", "websocket");
      Scrape.untilEquals(other, withAdminPort.node.httpPort(), "switchboard_connections", 1, "transport", "websocket");
    } finally {
      if (abc != null) {
        abc.close();
      }
      TestClient.await(other.close());
    }
  }

  @Test
  void withMetricsOffNothingIsRecordedOrServed() {
    String[] args = {"--host", "127.0.0.1", "--metrics", "false"};
    Vertx plain = TestClient.await(Clustering.vertx(NodeOptions.parse(args, Map.of())));
    TestClient abc = null;
    try {
      TestNode unmeasured = TestNode.start(plain, tempDir, directory(), "--metrics", "false");
      abc = unmeasured.connect("abc");
      assertOk(abc.request(frame("status").put("status", "busy")));
      assertFalse(plain.isMetricsEnabled(), "Vert.x records nothing");
      assertSame(SwitchboardMetrics.NONE, SwitchboardMetrics.of(plain), "Switchboard records nothing");
      assertEquals(404, AdminClient.bearer(plain, unmeasured.node.httpPort(), null).get("/metrics").status());
    } finally {
      if (abc != null) {
        abc.close();
      }
      TestClient.await(plain.close());
    }
  }

  private static JsonObject rule(String id, int priority, JsonObject when, JsonObject then) {
    return new JsonObject().put("id", id).put("priority", priority).put("when", when).put("then", then);
  }

  private static void send(TestClient client, String conversation, String body) {
    JsonObject ack = client.request(frame("send").put("conversation", conversation).put("body", body));
    assertEquals("ack", ack.getString("type"), ack::encode);
  }
}
