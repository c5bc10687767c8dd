package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Business hours on one embedded node whose clock the test sets (docs/POLICY.md § Business hours): {@code shop}
 * is open one hour a day in Shanghai time (the next full hour, so that the clock stays near the tokens' time) and
 * refuses outside it with its message, {@code desk} keeps opens in its queue until opening; both have member h1. The
 * clock starts a minute before opening.
 */
@ExtendWith(VertxExtension.class)
class BusinessHoursTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final ZonedDateTime OPENING = ZonedDateTime.now(SHANGHAI).truncatedTo(ChronoUnit.HOURS).plusHours(1);
  private static final String CLOSED = "Closed now: we open on the hour, Beijing time";

  @TempDir
  Path dir;
  TestNode node;
  final SettableClock clock = new SettableClock(OPENING.minusMinutes(1).toInstant());
  private final List<TestClient> clients = new ArrayList<>();

  static JsonObject hours(String whenClosed) {
    JsonObject weekly = new JsonObject();
    int hour = OPENING.getHour();
    String window = String.format("%02d:00-%02d:00", hour, hour + 1);
    for (String day : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
      weekly.put(day, new JsonArray().add(window));
    }
    return new JsonObject().put("zone", "Asia/Shanghai").put("weekly", weekly)
        .put("exceptions", new JsonArray().add(new JsonObject().put("date", "2026-10-01").put("windows", new JsonArray())))
        .put("whenClosed", whenClosed).put("message", CLOSED);
  }

  static JsonObject directory() {
    JsonArray users = new JsonArray().add(new JsonObject().put("id", "h1").put("maxConversations", 1))
        .add(new JsonObject().put("id", "s0")).add(new JsonObject().put("id", "s1"));
    return new JsonObject().put("users", users).put("virtualUsers", new JsonArray()
        .add(new JsonObject().put("id", "shop").put("members", new JsonArray().add("h1"))
            .put("policy", new JsonObject().put("hours", hours("refuse"))))
        .add(new JsonObject().put("id", "desk").put("members", new JsonArray().add("h1"))
            .put("policy", new JsonObject().put("hours", hours("queue"))
                .put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M")))));
  }

  @BeforeEach
  void start(Vertx vertx) {
    // A long lease: moving the clock ahead must not pass for the node's own death.
    node = TestNode.start(vertx, dir, directory(), clock, "--lease", "PT10M");
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  private TestClient connect(String user) {
    TestClient client = node.connect(user);
    clients.add(client);
    return client;
  }

  @Test
  void outsideItsHoursAVirtualUserIsAwayAndRefusesWithItsMessageThenOpensOnTime() {
    TestClient h1 = connect("h1");
    TestClient s0 = connect("s0");
    assertOk(s0.request(frame("watch").put("users", new JsonArray().add("shop"))));
    assertEquals("away", s0.next("presence").getString("status"), "closed, although h1 is online");

    JsonObject refused = s0.request(frame("open").put("to", "shop"));
    assertEquals("unavailable", refused.getString("code"), refused::encode);
    assertEquals(CLOSED, refused.getString("message"));
    JsonObject decision = node.admin().get("/api/v1/decisions?destination=shop").ok().getJsonArray("decisions")
        .getJsonObject(0);
    assertEquals("hours", decision.getString("step"), decision::encode);

    clock.advance(Duration.ofMinutes(1));

    assertEquals("online", s0.next("presence").getString("status"), "open on the hour");
    String conversation = NodeTestBase.openAccepted(s0, "shop", h1);
    assertTrue(conversation.startsWith("c-"));
  }

  @Test
  void anOpenOutsideItsHoursWaitsInTheQueueUntilOpening() {
    TestClient h1 = connect("h1");
    TestClient s0 = connect("s0");
    s0.send(frame("open").put("id", "o1").put("to", "desk"));
    assertEquals(1, s0.next("queued").getInteger("position"));
    h1.expectNothing();

    clock.advance(Duration.ofMinutes(1));

    JsonObject offer = h1.next("offer");
    assertEquals("s0", offer.getString("from"));
    assertOk(h1.request(frame("accept").put("conversation", offer.getString("conversation"))));
    assertEquals("opened", s0.next(f -> "o1".equals(f.getString("id"))).getString("type"));
  }

  @Test
  void hoursThatDoNotParseAreRefusedAndChangeNothing() {
    JsonObject before = node.admin().get("/api/v1/virtual-users/shop").ok();
    for (JsonObject bad : List.of(
        hours("refuse").put("zone", "Mars/Olympus"),
        hours("refuse").put("weekly", new JsonObject().put("mon", new JsonArray().add("18:00-09:00"))),
        hours("refuse").put("weekly", new JsonObject().put("someday", new JsonArray().add("09:00-18:00"))),
        hours("refuse").put("exceptions", new JsonArray().add(new JsonObject().put("date", "1 October"))),
        hours("later"),
        hours("queue"))) {
      JsonObject changed = before.copy();
      changed.getJsonObject("policy").put("hours", bad);
      String message = node.admin().put("/api/v1/virtual-users/shop", changed).error(400, "bad_request");
      assertTrue(message.contains("hours"), message);
    }
    assertEquals(before, node.admin().get("/api/v1/virtual-users/shop").ok());
  }
}
