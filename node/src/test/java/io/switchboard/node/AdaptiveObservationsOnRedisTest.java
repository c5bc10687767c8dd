package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static io.switchboard.node.NodeTestBase.setStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The adaptive manager learning from what a user does, unasked (docs/RULES.md § "Suggestions"), over five scripted
 * days: abc answers bob within a minute, leaves carol unanswered while busy, and answers m1 only once it is no longer
 * busy; or, without the server's default rules, leaves the closings that follow its own unanswered and marks
 * newsletters from two senders {@code none}. Every day is a new node (and clock) on the same Redis, so what was
 * observed survives each restart. On the sixth day each test asserts the exact suggestions, adopts (and dismisses)
 * some, and sees the next messages handled by the adopted rules.
 */
class AdaptiveObservationsOnRedisTest {

  private static final String OBSERVATIONS = "switchboard_adaptive_observations_total";

  @TempDir
  Path dir;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TestClient> clients = new ArrayList<>();
  private RedisDays days;
  private StoppableClock clock;
  private TestNode node;

  @AfterEach
  void stop() throws Exception {
    clients.forEach(TestClient::close);
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      resource.close();
    }
  }

  /** 09:00 of {@code day} on a new node; its lease outlasts the minutes the test moves its clock on. */
  private Instant startDay(int day) {
    clients.forEach(TestClient::close);
    clients.clear();
    if (days == null) {
      days = new RedisDays(dir, resources, "--lease", "PT10M");
      clock = days.clock;
    }
    node = days.start(day);
    return RedisDays.morning(day);
  }

  private TestClient connect(String user) {
    TestClient client = node.connect(user);
    clients.add(client);
    return client;
  }

  private static void send(TestClient from, String conversation, String body) {
    JsonObject ack = from.request(frame("send").put("conversation", conversation).put("body", body));
    assertEquals("ack", ack.getString("type"), ack::encode);
  }

  private static JsonObject receive(TestClient to, String body) {
    JsonObject message = to.next("message");
    assertEquals(body, message.getString("body"), message::encode);
    return message;
  }

  /** Waits until this day's node has kept {@code count} observations (they are written after the messages go). */
  private void observed(int count) {
    Scrape.untilEquals(node.vertx, node.node.httpPort(), OBSERVATIONS, count, "outcome", "recorded");
  }

  private static JsonArray suggestionsOf(TestClient client) {
    JsonObject reply = client.request(frame("get-suggestions"));
    assertEquals("suggestions", reply.getString("type"), reply::encode);
    return reply.getJsonArray("suggestions");
  }

  private static JsonObject suggestion(JsonObject suggestion, String ruleId, JsonObject when, JsonObject then,
                                       String evidence) {
    return new JsonObject().put("id", suggestion.getString("id"))
        .put("rule", new JsonObject().put("id", ruleId).put("priority", 0).put("when", when).put("then", then))
        .putNull("activation").put("evidence", evidence).put("support", 5).put("confidence", 1.0);
  }

  private static JsonArray list(String... values) {
    return new JsonArray(List.of((Object[]) values));
  }

  @Test
  void aUserSeenAnsweringSomeSendersAtOnceIgnoringOthersWhileBusyAndAnsweringOneOnlyAfterwardsIsProposedRules() {
    for (int day = 1; day <= 5; day++) {
      Instant morning = startDay(day);
      TestClient abc = connect("abc");
      TestClient bob = connect("bob");
      TestClient carol = connect("carol");
      TestClient m1 = connect("m1");
      String withBob = openAccepted(bob, "abc", abc);
      String withCarol = openAccepted(carol, "abc", abc);
      String withM1 = openAccepted(m1, "abc", abc);

      send(bob, withBob, "is the build green?");
      receive(abc, "is the build green?");
      clock.stopAt(morning.plusSeconds(30));
      send(abc, withBob, "yes");
      receive(bob, "yes");

      setStatus(abc, "busy");
      send(carol, withCarol, "lunch today?");
      receive(abc, "lunch today?");
      send(m1, withM1, "got a minute?");
      receive(abc, "got a minute?");
      observed(8); // each message: sent by one, received by the other

      clock.stopAt(morning.plus(Duration.ofMinutes(3)));
      setStatus(abc, "online");
      send(abc, withM1, "now I have");
      receive(m1, "now I have");
      observed(10);
      List<String> proposed = suggestionsOf(abc).stream()
          .map(one -> ((JsonObject) one).getJsonObject("rule").getString("id")).toList();
      // On day 5 bob and m1 have been answered five times; carol's fifth message is not unanswered for hours yet.
      assertEquals(day < 5 ? List.of() : List.of("from-bob-popup", "from-m1-hold-busy"), proposed, "day " + day);
    }

    startDay(6);
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    TestClient carol = connect("carol");
    TestClient m1 = connect("m1");
    JsonArray listed = suggestionsOf(abc);
    assertEquals(3, listed.size(), listed::encodePrettily);
    JsonObject popup = listed.getJsonObject(0);
    JsonObject silent = listed.getJsonObject(1);
    JsonObject hold = listed.getJsonObject(2);
    assertEquals(suggestion(popup, "from-bob-popup", new JsonObject().put("from", list("bob")),
        new JsonObject().put("notify", "popup"),
        "You answered 5 of 5 messages from bob within a minute (on 5 days): let them pop up."), popup);
    assertEquals(suggestion(silent, "from-carol-silent-busy",
        new JsonObject().put("from", list("carol")).put("status", list("busy")),
        new JsonObject().put("notify", "silent"), "You left 5 of 5 messages from carol that came while you were busy"
            + " unanswered (on 5 days): deliver them with silent while you are busy."), silent);
    assertEquals(suggestion(hold, "from-m1-hold-busy",
        new JsonObject().put("from", list("m1")).put("status", list("busy")), new JsonObject().put("hold", true),
        "You answered 5 of 5 messages from m1 that came while you were busy only once you were no longer busy"
            + " (on 5 days): hold them while you are busy."), hold);
    assertEquals(listed, node.admin().get("/api/v1/users/abc/suggestions").ok().getJsonArray("suggestions"),
        "operators see what the user sees");

    // bob's and m1's are adopted, carol's dismissed: the document gains two rules and nothing is proposed again.
    assertOk(abc.request(frame("adopt-suggestion").put("suggestion", popup.getString("id"))));
    assertOk(abc.request(frame("adopt-suggestion").put("suggestion", hold.getString("id"))));
    assertOk(abc.request(frame("dismiss-suggestion").put("suggestion", silent.getString("id"))));
    assertEquals(new JsonArray().add(popup.getJsonObject("rule")).add(hold.getJsonObject("rule")),
        abc.request(frame("get-rules")).getJsonObject("document").getJsonArray("rules"));
    assertEquals(new JsonArray(), suggestionsOf(abc));

    // The next messages: bob's pops up by its rule, m1's waits while abc is busy and comes once it is not, and
    // carol's, whose suggestion was dismissed, is handled as before.
    String withBob = openAccepted(bob, "abc", abc);
    String withCarol = openAccepted(carol, "abc", abc);
    String withM1 = openAccepted(m1, "abc", abc);
    send(bob, withBob, "deploy?");
    JsonObject fromBob = receive(abc, "deploy?");
    assertEquals("from-bob-popup", fromBob.getString("rule"), fromBob::encode);
    assertEquals("popup", fromBob.getString("notify"));
    setStatus(abc, "busy");
    send(m1, withM1, "got a minute?");
    JsonObject held = abc.next("notice");
    assertEquals("held", held.getString("action"), held::encode);
    assertEquals("from-m1-hold-busy", held.getString("rule"), held::encode);
    send(carol, withCarol, "lunch today?");
    JsonObject fromCarol = receive(abc, "lunch today?");
    assertEquals("popup", fromCarol.getString("notify"), fromCarol::encode);
    setStatus(abc, "online");
    JsonObject released = receive(abc, "got a minute?");
    assertEquals("from-m1-hold-busy", released.getString("rule"), released::encode);
  }

  private static void mark(TestClient user, String conversation, JsonObject message, String wanted) {
    assertOk(user.request(frame("feedback").put("conversation", conversation).put("seq", message.getLong("seq"))
        .put("wanted", wanted)));
  }

  @Test
  void aUserSeenLeavingClosingsAfterItsOwnUnansweredAndMarkingNewslettersNoneIsProposedTheSeedsRuleAndAKeyword() {
    for (int day = 1; day <= 5; day++) {
      startDay(day);
      TestClient abc = connect("abc");
      TestClient bob = connect("bob");
      TestClient newsletters = connect(day <= 3 ? "carol" : "m1");
      if (day == 1) {
        // Without the server's default rules, which would already quiet those closings.
        assertOk(abc.request(frame("set-rules").put("document", new JsonObject().put("rules", new JsonArray())
            .put("defaults", false))));
      }
      String withBob = openAccepted(bob, "abc", abc);
      String withNewsletters = openAccepted(newsletters, "abc", abc);

      send(bob, withBob, "here is the report");
      JsonObject report = receive(abc, "here is the report");
      if (day <= 2) {
        mark(abc, withBob, report, "popup");
      }
      send(abc, withBob, "thanks!");
      receive(bob, "thanks!");
      send(bob, withBob, "yw");
      receive(abc, "yw");

      send(newsletters, withNewsletters, "newsletter: day " + day);
      mark(abc, withNewsletters, receive(abc, "newsletter: day " + day), "none");
      observed(8);
    }

    startDay(6);
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    TestClient carol = connect("carol");
    JsonArray listed = suggestionsOf(abc);
    assertEquals(3, listed.size(), listed::encodePrettily);
    JsonObject keyword = listed.getJsonObject(0);
    JsonObject popup = listed.getJsonObject(1);
    JsonObject closings = listed.getJsonObject(2);
    assertEquals(suggestion(keyword, "keyword-newsletter-none",
        new JsonObject().put("content", new JsonObject().put("keywords", list("newsletter"))),
        new JsonObject().put("notify", "none"), "You marked 5 of 5 messages saying \"newsletter\" as none (feedback"
            + " on 5 days, from 2 senders): deliver them with none."), keyword);
    assertEquals("from-bob-popup", popup.getJsonObject("rule").getString("id"), "the report is answered at once");
    assertEquals(suggestion(closings, "closings-after-yours-none",
        new JsonObject().put("content", new JsonObject().put("class", "closing"))
            .put("conversation", new JsonObject().put("closingSentWithin", "PT10M")),
        new JsonObject().put("notify", "none"), "You left 5 of 5 closings that came within 10 minutes of your own"
            + " closing unanswered (on 5 days): deliver them with none."), closings);

    assertOk(abc.request(frame("adopt-suggestion").put("suggestion", keyword.getString("id"))));
    assertOk(abc.request(frame("adopt-suggestion").put("suggestion", closings.getString("id"))));
    assertEquals(List.of("from-bob-popup"), suggestionsOf(abc).stream()
        .map(one -> ((JsonObject) one).getJsonObject("rule").getString("id")).toList());

    String withCarol = openAccepted(carol, "abc", abc);
    send(carol, withCarol, "newsletter: day 6");
    JsonObject newsletter = receive(abc, "newsletter: day 6");
    assertEquals("none", newsletter.getString("notify"), newsletter::encode);
    assertEquals("keyword-newsletter-none", newsletter.getString("rule"));
    String withBob = openAccepted(bob, "abc", abc);
    send(bob, withBob, "here is the report");
    assertEquals("popup", receive(abc, "here is the report").getString("notify"));
    send(abc, withBob, "thanks!");
    receive(bob, "thanks!");
    send(bob, withBob, "yw");
    JsonObject closing = receive(abc, "yw");
    assertEquals("none", closing.getString("notify"), closing::encode);
    assertEquals("closings-after-yours-none", closing.getString("rule"));
  }
}
