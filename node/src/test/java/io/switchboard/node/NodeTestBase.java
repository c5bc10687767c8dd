package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh node per test on the test directory: common users abc, bob, carol; virtual user {@code shop} with
 * members m1–m3 (capacity 2, offers time out after 1 s, at most 2 offers per open); virtual user {@code strict}
 * that is available only while a member is online and reveals its agent, with members s1, s2; virtual user
 * {@code rush} with members r1–r4 of capacity 3 that reveals its agent; virtual user {@code near} routing to the
 * nearest of m1 (Beijing) and m2 (Berlin). abc lives in Beijing.
 */
@ExtendWith(VertxExtension.class)
abstract class NodeTestBase {

  /** Polls {@code condition} every 10 ms until it holds, failing with {@code what} past {@code within}. */
  static void eventually(Duration within, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      LockSupport.parkNanos(10_000_000);
    }
  }

  static final List<String> RUSH_MEMBERS = List.of("r1", "r2", "r3", "r4");
  static final int RUSH_CAPACITY = 3;
  static final JsonObject BEIJING = new JsonObject().put("lat", 39.9).put("lon", 116.4);
  static final JsonObject BERLIN = new JsonObject().put("lat", 52.5).put("lon", 13.4);

  @TempDir
  Path tempDir;
  Vertx vertx;
  TestNode node;
  private final List<TestClient> clients = new ArrayList<>();

  /** Extra node options for a test class, e.g. a short heartbeat. */
  String[] nodeOptions() {
    return new String[0];
  }

  /** The node's clock, e.g. one a test can stop. */
  Clock clock() {
    return Clock.systemUTC();
  }

  @BeforeEach
  void startNode(Vertx vertx) {
    this.vertx = vertx;
    node = TestNode.start(vertx, tempDir, directory(), clock(), nodeOptions());
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  static JsonObject directory() {
    JsonArray users = new JsonArray()
        .add(user("abc").put("geo", BEIJING).put("attributes", new JsonObject().put("level", 3)))
        .add(user("bob"))
        .add(user("carol"));
    for (String member : List.of("m1", "m2", "m3", "s1", "s2")) {
      users.add(user(member).put("maxConversations", 2));
    }
    users.getJsonObject(3).put("geo", BEIJING);
    users.getJsonObject(4).put("geo", BERLIN);
    for (String member : RUSH_MEMBERS) {
      users.add(user(member).put("maxConversations", RUSH_CAPACITY));
    }
    JsonObject shopPolicy = new JsonObject().put("offerTimeout", "PT1S").put("maxOffers", 2);
    JsonObject strictPolicy = new JsonObject().put("availableStatuses", new JsonArray().add("online"))
        .put("offerTimeout", "PT1S").put("revealAgent", true);
    return new JsonObject().put("users", users).put("virtualUsers", new JsonArray()
        .add(new JsonObject().put("id", "shop").put("members", new JsonArray().add("m1").add("m2").add("m3")).put("policy", shopPolicy))
        .add(new JsonObject().put("id", "strict").put("members", new JsonArray().add("s1").add("s2")).put("policy", strictPolicy))
        .add(new JsonObject().put("id", "near").put("members", new JsonArray().add("m1").add("m2"))
            .put("policy", new JsonObject().put("chain", new JsonArray().add(new JsonObject().put("type", "nearest")))))
        .add(new JsonObject().put("id", "rush").put("members", new JsonArray(RUSH_MEMBERS))
            .put("policy", new JsonObject().put("revealAgent", true))));
  }

  private static JsonObject user(String id) {
    return new JsonObject().put("id", id);
  }

  /** Keeps a client to close after the test. */
  TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }

  TestClient connect(String user) {
    return track(node.connect(user));
  }

  TestClient connectTcp(String user) {
    return track(node.connectTcp(user));
  }

  TestClient webSocket() {
    return track(node.webSocket());
  }

  TestClient tcp() {
    return track(node.tcp());
  }

  static JsonObject frame(String type) {
    return new JsonObject().put("type", type);
  }

  static void assertOk(JsonObject reply) {
    assertEquals("ok", reply.getString("type"), reply::encode);
  }

  /** Sets a status and waits for its ok. */
  static void setStatus(TestClient client, String status) {
    assertOk(client.request(frame("status").put("status", status)));
  }

  /**
   * Opens a conversation from {@code source} to {@code to}, has {@code agent} accept the offer, and returns the
   * conversation id after checking both sides' frames.
   */
  static String openAccepted(TestClient source, String to, TestClient agent) {
    source.send(frame("open").put("id", "open-" + to).put("to", to));
    JsonObject offer = agent.next("offer");
    assertOk(agent.request(frame("accept").put("conversation", offer.getString("conversation"))));
    JsonObject opened = source.next(f -> ("open-" + to).equals(f.getString("id")));
    assertEquals("opened", opened.getString("type"), opened::encode);
    assertEquals(offer.getString("conversation"), opened.getString("conversation"));
    return opened.getString("conversation");
  }
}
