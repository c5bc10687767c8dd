package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planned stop (SIGTERM) of a clustered node process, with the node that stays and a real Redis: its clients get
 * the {@code shutdown} frame and WebSocket close 1001, requests they had in flight are answered first (within
 * {@code --shutdown-grace}), its users are offline on the other node at once (the lease here lasts a minute, so only
 * the stopping node giving its sessions up can take them offline within a test's wait), the process exits 0, and
 * its clients, back through the other node, resume every message that was acked.
 */
class GracefulShutdownTest {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdownTest.class);
  /** The shutdown frame of docs/PROTOCOL.md, exactly. */
  private static final JsonObject SHUTDOWN = new JsonObject().put("type", "shutdown").put("reconnect", true)
      .put("retryAfter", 1000);
  /** Long enough that no user goes offline by lease expiry while a test runs. */
  private static final String LEASE = "PT60S";
  /** How long a stopping node may take, whatever it waits for: well under the offer timeout of "patient". */
  private static final Duration EXIT_PATIENCE = Duration.ofSeconds(45);
  private static final int ACKED_BEFORE = 40;
  private static final int IN_FLIGHT = 40;

  @TempDir
  static Path dir;
  static RedisServer redis;
  static Vertx vertx;
  static NodeProcess a;
  static List<String> common;
  private final List<TestClient> clients = new ArrayList<>();
  private NodeProcess stopping;

  @BeforeAll
  static void startStayingNode() throws Exception {
    redis = RedisServer.builder().build().start();
    vertx = Vertx.vertx();
    // "patient" offers for a minute: an open to it stays in flight as long as a test wants.
    JsonObject directory = NodeTestBase.directory();
    directory.getJsonArray("virtualUsers").add(new JsonObject().put("id", "patient")
        .put("members", new JsonArray().add("m3")).put("policy", new JsonObject().put("offerTimeout", "PT60S")));
    Path file = dir.resolve("directory.json");
    Files.writeString(file, directory.encode());
    common = ClusterTest.with(ClusterTest.clusterOptions("--redis", redis.uri()), "--lease", LEASE,
        "--disconnect-grace", "PT60S");
    a = NodeProcess.start("a", dir, ClusterTest.with(common, "--directory", file.toString()));
  }

  @AfterAll
  static void stopStayingNode() throws Exception {
    ClusterTest.stopAll(vertx, redis, a);
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
    if (stopping != null) {
      stopping.close();
    }
  }

  private TestClient connect(NodeProcess node, String user) {
    return track(node.connect(vertx, user));
  }

  private TestClient connectTcp(NodeProcess node, String user) {
    return track(node.connectTcp(vertx, user));
  }

  private TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }

  private static CompletableFuture<Integer> terminate(NodeProcess node) {
    return CompletableFuture.supplyAsync(() -> node.terminate(EXIT_PATIENCE));
  }

  private static int exitCode(CompletableFuture<Integer> exit) throws Exception {
    return exit.get(EXIT_PATIENCE.toSeconds() + 10, TimeUnit.SECONDS);
  }

  @Test
  void sigtermTellsClientsToGoAnswersWhatIsInFlightReleasesItsUsersAtOnceAndLosesNoAckedMessage() throws Exception {
    stopping = NodeProcess.start("b", dir, ClusterTest.with(common, "--shutdown-grace", "PT30S"));
    TestClient watcher = connect(a, "bob");
    assertOk(watcher.request(frame("watch").put("users", new JsonArray().add("abc").add("m1").add("s2"))));
    TestClient abc = connect(stopping, "abc");
    TestClient m1 = connectTcp(stopping, "m1");
    connect(stopping, "s2");
    connect(a, "s2");
    for (String user : List.of("abc", "m1", "s2")) {
      watcher.next(f -> "presence".equals(f.getString("type")) && user.equals(f.getString("user"))
          && "online".equals(f.getString("status")));
    }
    TestClient carol = connect(stopping, "carol");
    TestClient m3 = connect(a, "m3");
    String conversation = openAccepted(abc, "shop", m1);

    // Acked before the stop; m1 reads half of them (the rest is what it will resume).
    Map<Long, String> acked = new TreeMap<>();
    for (int i = 1; i <= ACKED_BEFORE; i++) {
      JsonObject ack = abc.request(frame("send").put("conversation", conversation).put("body", "before " + i));
      assertEquals("ack", ack.getString("type"), ack::encode);
      acked.put(ack.getLong("seq"), "before " + i);
    }
    long m1Saw = 0;
    for (int i = 1; i <= ACKED_BEFORE / 2; i++) {
      m1Saw = m1.next("message").getLong("seq");
    }
    JsonObject fromM1 = m1.request(frame("send").put("conversation", conversation).put("body", "from m1"));
    assertEquals("ack", fromM1.getString("type"), fromM1::encode);
    long m1Acked = fromM1.getLong("seq");

    // carol's open waits for m3 (on the staying node), who answers only once the stop has begun.
    carol.send(frame("open").put("id", "open-patient").put("to", "patient"));
    JsonObject offer = m3.next("offer");

    // Sends still in flight when SIGTERM arrives: each is acked or refused, never acked and lost.
    for (int i = 1; i <= IN_FLIGHT; i++) {
      abc.send(frame("send").put("id", "late-" + i).put("conversation", conversation).put("body", "late " + i));
    }
    long signalled = System.nanoTime();
    CompletableFuture<Integer> exit = terminate(stopping);

    assertEquals(SHUTDOWN, carol.next("shutdown"));
    // What a client sends after the shutdown frame is refused (pings still answered) while its open is served.
    carol.expectError(carol.request(frame("status").put("status", "busy")), "unavailable");
    assertEquals("pong", carol.request(frame("ping")).getString("type"));
    assertOk(m3.request(frame("accept").put("conversation", offer.getString("conversation"))));
    JsonObject opened = carol.next(f -> "open-patient".equals(f.getString("id")));
    assertEquals("opened", opened.getString("type"), "the open in flight is answered before the connection closes: "
        + opened.encode());
    assertEquals(1001, carol.expectClosed());

    assertEquals(SHUTDOWN, abc.next("shutdown"));
    assertEquals(1001, abc.expectClosed(), "WebSocket close code");
    int answered = 0;
    for (JsonObject reply = abc.poll(Duration.ZERO); reply != null; reply = abc.poll(Duration.ZERO)) {
      String id = reply.getString("id", "");
      if (id.startsWith("late-")) {
        answered++;
        if ("ack".equals(reply.getString("type"))) {
          acked.put(reply.getLong("seq"), "late " + id.substring("late-".length()));
        } else {
          assertEquals("error", reply.getString("type"), reply::encode);
        }
      }
    }
    assertEquals(SHUTDOWN, m1.next("shutdown"));
    assertEquals(0, m1.expectClosed(), "the TCP connection ends");
    assertEquals(0, exitCode(exit), "a planned stop exits 0");
    long exitedMillis = (System.nanoTime() - signalled) / 1_000_000;
    assertTrue(Files.readString(stopping.log).contains("node b stopped and left the cluster"));

    // Offline on the staying node at once (not after the minute-long lease); s2, also connected there, stays online.
    for (String user : List.of("abc", "m1")) {
      watcher.next(f -> "presence".equals(f.getString("type")) && user.equals(f.getString("user"))
          && "offline".equals(f.getString("status")));
    }
    long offlineMillis = (System.nanoTime() - signalled) / 1_000_000;
    TestClient looker = connect(a, "m2");
    assertOk(looker.request(frame("watch").put("users", new JsonArray().add("s2"))));
    JsonObject s2 = looker.next("presence");
    assertEquals("online", s2.getString("status"), "a user also connected to the staying node stays online");

    // Both parties come back through node a: resume gives m1 every acked message it had not seen, abc m1's.
    TestClient m1Back = connectTcp(a, "m1");
    Map<Long, String> resumed = resume(m1Back, conversation, m1Saw);
    for (Map.Entry<Long, String> message : acked.entrySet()) {
      if (message.getKey() > m1Saw) {
        assertEquals(message.getValue(), resumed.get(message.getKey()), "acked message " + message.getKey()
            + " resumed (" + acked.size() + " acked, " + answered + " of " + IN_FLIGHT + " late sends answered)");
      }
    }
    TestClient abcBack = connect(a, "abc");
    assertEquals("from m1", resume(abcBack, conversation, m1Acked - 1).get(m1Acked));

    // The conversation carries on from where it was.
    JsonObject after = abcBack.request(frame("send").put("conversation", conversation).put("body", "after the stop"));
    assertEquals("ack", after.getString("type"), after::encode);
    JsonObject delivered = m1Back.next(f -> "message".equals(f.getString("type")) && "after the stop".equals(f.getString("body")));
    assertEquals(after.getLong("seq"), delivered.getLong("seq"));
    LOG.warn("SIGTERM: node exited 0 after {} ms, its users offline on the other node after {} ms (lease {});"
        + " {} of {} sends in flight answered; {} acked messages, all resumed", exitedMillis, offlineMillis, LEASE,
        answered, IN_FLIGHT, acked.size());
  }

  @Test
  void aRequestThatOutlastsTheShutdownGraceDoesNotHoldTheNode() throws Exception {
    stopping = NodeProcess.start("c", dir, ClusterTest.with(common, "--shutdown-grace", "PT1S"));
    TestClient abc = connect(stopping, "abc");
    TestClient m3 = connect(a, "m3");
    AdminClient admin = a.admin(vertx);
    // (conversations of another test may hold some of m3's load)
    int loadBefore = load(admin);
    // The offer waits a minute for an answer that never comes; the stop waits for it only as long as the grace.
    abc.send(frame("open").put("id", "open-patient").put("to", "patient"));
    m3.next("offer");
    CompletableFuture<Integer> exit = terminate(stopping);
    assertEquals(SHUTDOWN, abc.next("shutdown"));
    assertEquals(1001, abc.expectClosed());
    assertEquals(0, exitCode(exit));
    // The offer was made by the stopped node's router: it is gone with it, and so is the load it reserved.
    assertEquals("offer-withdrawn", m3.next(f -> "offer-withdrawn".equals(f.getString("type"))).getString("type"));
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (load(admin) > loadBefore) {
      assertTrue(System.nanoTime() < deadline, "m3's load, reserved by the stopped node's offer, is given back");
      m3.poll(Duration.ofMillis(100));
    }
  }

  /** m3's load, its conversations and offers open, as the staying node sees it. */
  private static int load(AdminClient admin) {
    return admin.get("/api/v1/virtual-users/patient/status").ok().getJsonArray("members").getJsonObject(0)
        .getInteger("load");
  }

  /** Resumes {@code conversation} after {@code after} and returns the messages received until its ok, by seq. */
  private static Map<Long, String> resume(TestClient client, String conversation, long after) {
    client.send(frame("resume").put("id", "resume").put("conversation", conversation).put("after", after));
    Map<Long, String> messages = new TreeMap<>();
    while (true) {
      JsonObject next = client.next(f -> "resume".equals(f.getString("id"))
          || "message".equals(f.getString("type")) && conversation.equals(f.getString("conversation")));
      if ("resume".equals(next.getString("id"))) {
        assertOk(next);
        return messages;
      }
      messages.put(next.getLong("seq"), next.getString("body"));
    }
  }
}
