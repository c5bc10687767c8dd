package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overflow and business hours across two clustered nodes sharing one real Redis, each node a JVM of its own:
 * sources connect through node A, members through node B. The overflow chains are {@link OverflowScenario}'s; for
 * business hours, {@code shop} (refuses when closed) and {@code desk} (queues when closed), both with member h1, get
 * hours at test time whose window opens a few seconds later on the real clock (see {@link #opening}).
 */
class OverflowAndHoursClusterTest {

  private static final String CLOSED = "Closed now: we open in a moment";
  /** How long after the hours are set the window opens: room for what happens before, in any order of load. */
  private static final Duration LEAD = Duration.ofSeconds(6);

  @TempDir
  static Path dir;
  static NodeCluster cluster;
  static NodeProcess a;
  static NodeProcess b;
  static AdminClient admin;

  static JsonObject directory() {
    JsonObject directory = OverflowScenario.directory();
    directory.getJsonArray("users").add(new JsonObject().put("id", "h1").put("maxConversations", 1));
    JsonObject queue = new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M");
    directory.getJsonArray("virtualUsers")
        .add(new JsonObject().put("id", "shop").put("members", new JsonArray().add("h1")).put("policy", new JsonObject()))
        .add(new JsonObject().put("id", "desk").put("members", new JsonArray().add("h1"))
            .put("policy", new JsonObject().put("queue", queue)));
    return directory;
  }

  @BeforeAll
  static void startCluster() {
    cluster = NodeCluster.start(dir, directory());
    a = cluster.loading("a");
    b = cluster.join("b");
    admin = a.admin(cluster.vertx);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @AfterEach
  void closeClients() {
    cluster.closeClientsAndAwaitLoadsGivenBack(admin);
  }

  private static OverflowScenario overflow() {
    return new OverflowScenario(source -> cluster.connect(a, source), member -> cluster.connect(b, member), admin);
  }

  @Test
  void anOpenNobodyOnOneNodeCanTakeGoesThroughTheOtherVirtualUsersChainToAMemberOnTheOther() {
    overflow().anOpenNobodyCanTakeGoesThroughTheOtherVirtualUsersChain();
  }

  @Test
  void anOverflowChainEndsWaitingInTheLastVirtualUsersQueueAndIsServedFromThereAcrossNodes() {
    overflow().anOverflowChainEndsWaitingInTheLastVirtualUsersQueue();
  }

  @Test
  void anOpenThatWaitedTheOverflowTimeMovesToTheOtherVirtualUserAcrossNodes() {
    overflow().anOpenThatWaitedTheOverflowTimeMovesToTheOtherVirtualUser();
  }

  /**
   * Hours whose one daily window opens at {@code at} (whole seconds) and lasts ten minutes. Windows are given to the
   * minute in the hours' zone, so the zone is the fixed offset (to the second) in which {@code at} falls on a full
   * minute: the window opens when the test wants it to on every node's real clock, with no clock of the test's own.
   */
  static JsonObject opening(Instant at, String whenClosed) {
    ZoneOffset zone = ZoneOffset.ofTotalSeconds((60 - at.atOffset(ZoneOffset.UTC).getSecond()) % 60);
    LocalTime start = at.atOffset(zone).toLocalTime();
    LocalTime end = start.plusMinutes(10);
    String window = start + "-" + (end.isBefore(start) ? "24:00" : end.toString());
    JsonObject weekly = new JsonObject();
    for (String day : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
      weekly.put(day, new JsonArray().add(window));
    }
    return new JsonObject().put("zone", zone.getId()).put("weekly", weekly).put("whenClosed", whenClosed)
        .put("message", CLOSED);
  }

  private static void setHours(String virtualUser, JsonObject hours) {
    JsonObject definition = admin.get("/api/v1/virtual-users/" + virtualUser).ok();
    definition.getJsonObject("policy").put("hours", hours);
    admin.put("/api/v1/virtual-users/" + virtualUser, definition).ok();
  }

  @Test
  void outsideItsHoursAVirtualUserIsAwayAndRefusesOrQueuesOpensFromTheOtherNodeUntilItOpensOnTime() {
    TestClient h1 = cluster.connect(b, "h1");
    Instant opens = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
    setHours("shop", opening(opens, "refuse"));
    setHours("desk", opening(opens, "queue"));

    TestClient s0 = cluster.connect(a, "s0");
    JsonObject refused = s0.request(frame("open").put("to", "shop"));
    assertEquals("unavailable", refused.getString("code"), refused::encode);
    assertEquals(CLOSED, refused.getString("message"));
    assertOk(s0.request(frame("watch").put("users", new JsonArray().add("shop"))));
    assertEquals("away", s0.next("presence").getString("status"), "closed, although h1 is online");

    TestClient s1 = cluster.connect(a, "s1");
    s1.send(frame("open").put("id", "o1").put("to", "desk"));
    JsonObject queued = s1.next("queued");
    assertEquals(List.of("desk", 1), List.of(queued.getString("to"), queued.getInteger("position")));
    assertTrue(Instant.now().isBefore(opens), "all of the above happened while closed (took longer than " + LEAD + ")");

    JsonObject offer = h1.next("offer");
    assertFalse(Instant.now().isBefore(opens), "the queue waits until opening");
    assertEquals(List.of("s1", "desk"), List.of(offer.getString("from"), offer.getString("to")));
    assertOk(h1.request(frame("accept").put("conversation", offer.getString("conversation"))));
    assertEquals("opened", s1.next(f -> "o1".equals(f.getString("id")) && !"queued".equals(f.getString("type")))
        .getString("type"));
    JsonObject open = s0.next("presence");
    assertEquals(List.of("shop", "online"), List.of(open.getString("user"), open.getString("status")),
        "at opening shop shows its members' aggregate again");
  }
}
