package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adaptive manager end to end (PROTOCOL.md § "Rules suggestions", docs/RULES.md § "Suggestions"): a scripted
 * user, abc, tells the server over several days how it wanted its messages handled; the test asserts the exact
 * suggestions pushed and listed, then adoption and the new behaviour, dismissal, and that bad input changes nothing.
 * Each store decides what a day is: the Redis run starts a new node (and clock) every day, so what was learnt
 * survives restarts; the embedded store lives and dies with its node, so its days are seconds of one node (a jump
 * past the node's lease would pass for the node's death).
 */
abstract class AdaptiveManagerCases {

  /**
   * Tomorrow, 09:00 UTC: the nodes' clocks run ahead of the real one, never behind, since tokens are signed with the
   * real time and a node refuses one that would last longer than a day by its own clock.
   */
  static final Instant DAY_ONE = LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(9, 0).toInstant(ZoneOffset.UTC);

  @TempDir
  Path dir;
  final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TestClient> clients = new ArrayList<>();
  private TestNode node;

  /** The node serving {@code day} (1, 2, …), its clock stopped at that day's morning. */
  abstract TestNode startDay(int day);

  /** How many days apart the feedback given on days 1 to 3 is, as the evidence counts them. */
  abstract int distinctDays();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(TestClient::close);
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      resource.close();
    }
  }

  static Vertx newVertx(List<AutoCloseable> resources) {
    Vertx vertx = Vertx.vertx();
    resources.add(() -> TestClient.await(vertx.close()));
    return vertx;
  }

  private TestClient connect(String user) {
    TestClient client = node.connect(user);
    clients.add(client);
    return client;
  }

  /** The morning of {@code day}: abc, bob and carol connected, carol and bob each in a conversation with abc. */
  private final class Day {
    final TestClient abc;
    final TestClient bob;
    final TestClient carol;
    final String fromCarol;
    final String fromBob;

    Day(int day) {
      clients.forEach(TestClient::close);
      clients.clear();
      node = startDay(day);
      abc = connect("abc");
      bob = connect("bob");
      carol = connect("carol");
      fromCarol = openAccepted(carol, "abc", abc);
      fromBob = openAccepted(bob, "abc", abc);
    }

    /** {@code from} sends {@code body} to abc, which tells how it wanted it handled; answers what was pushed. */
    List<JsonObject> receiveAndMark(TestClient from, String conversation, String body, String wanted) {
      assertEquals("ack", from.request(frame("send").put("conversation", conversation).put("body", body))
          .getString("type"));
      JsonObject message = abc.next("message");
      assertEquals(body, message.getString("body"));
      assertOk(abc.request(frame("feedback").put("conversation", conversation).put("seq", message.getLong("seq"))
          .put("wanted", wanted)));
      List<JsonObject> pushed = new ArrayList<>();
      for (JsonObject frame = abc.poll(TestClient.QUIET); frame != null; frame = abc.poll(TestClient.QUIET)) {
        assertEquals("suggestions", frame.getString("type"), frame::encode);
        assertTrue(!frame.containsKey("id"), "a push carries no id");
        frame.getJsonArray("suggestions").forEach(suggestion -> pushed.add((JsonObject) suggestion));
      }
      return pushed;
    }
  }

  private static JsonObject rule(String id, JsonObject when, JsonObject then) {
    return new JsonObject().put("id", id).put("priority", 0).put("when", when).put("then", then);
  }

  private JsonObject suggestion(String id, JsonObject rule, String evidence) {
    return new JsonObject().put("id", id).put("rule", rule).putNull("activation").put("evidence", evidence)
        .put("support", 5).put("confidence", 1.0);
  }

  private static List<String> ruleIds(JsonArray suggestions) {
    return suggestions.stream().map(s -> ((JsonObject) s).getJsonObject("rule").getString("id")).toList();
  }

  private static JsonArray suggestionsOf(TestClient client) {
    JsonObject reply = client.request(frame("get-suggestions"));
    assertEquals("suggestions", reply.getString("type"), reply::encode);
    return reply.getJsonArray("suggestions");
  }

  @Test
  void aUserWhoAlwaysQuietsOneSenderAndClosingsIsProposedRulesWithTheEvidenceAdoptsOneAndDismissesAnother() {
    String days = distinctDays() + (distinctDays() == 1 ? " day" : " days");
    // Days 1 and 2: carol's digests are marked silent, bob's closings none; nothing is proposed yet.
    List<String> closingsOfBob = List.of("thx", "np", "ttyl", "cya");
    for (int day = 1; day <= 2; day++) {
      Day today = new Day(day);
      for (int i = 0; i < 2; i++) {
        int digest = 2 * day - 1 + i;
        assertEquals(List.of(), today.receiveAndMark(today.carol, today.fromCarol, "Weekly digest #" + digest, "silent"));
        assertEquals(List.of(), today.receiveAndMark(today.bob, today.fromBob, closingsOfBob.get(digest - 1), "none"));
      }
      assertEquals(0, suggestionsOf(today.abc).size());
    }

    // Day 3: the fifth silent digest makes the first suggestion appear, pushed at once; the fifth closing two more.
    Day today = new Day(3);
    List<JsonObject> first = today.receiveAndMark(today.carol, today.fromCarol, "Weekly digest #5", "silent");
    assertEquals(1, first.size(), first::toString);
    JsonObject carolRule = rule("from-carol-silent", new JsonObject().put("from", new JsonArray().add("carol")),
        new JsonObject().put("notify", "silent"));
    String carolId = first.get(0).getString("id");
    assertEquals(suggestion(carolId, carolRule, "You marked 5 of 5 messages from carol as silent (feedback on "
        + days + "): deliver them with silent."), first.get(0));
    List<JsonObject> second = today.receiveAndMark(today.bob, today.fromBob, "bye", "none");
    assertEquals(List.of("from-bob-none", "closings-none"),
        second.stream().map(s -> s.getJsonObject("rule").getString("id")).toList());
    JsonObject closings = second.get(1);
    assertEquals(suggestion(closings.getString("id"), rule("closings-none",
            new JsonObject().put("content", new JsonObject().put("class", "closing")),
            new JsonObject().put("notify", "none")),
        "You marked 5 of 5 closings (\"thanks\", \"yw\", \"ttyl\" …) as none (feedback on " + days
            + "): deliver them with none."), closings);

    JsonArray listed = suggestionsOf(today.abc);
    assertEquals(List.of("from-carol-silent", "from-bob-none", "closings-none"), ruleIds(listed));
    assertEquals(listed, node.admin().get("/api/v1/users/abc/suggestions").ok().getJsonArray("suggestions"));

    // Bad input: a clear error each, and nothing changes.
    JsonObject own = today.abc.request(frame("send").put("conversation", today.fromCarol).put("body", "noted"));
    today.carol.next("message");
    today.abc.expectError(today.abc.request(frame("feedback").put("conversation", today.fromCarol)
        .put("seq", own.getLong("seq")).put("wanted", "none")), "not_found");
    today.abc.expectError(today.abc.request(frame("feedback").put("conversation", today.fromCarol).put("seq", 999)
        .put("wanted", "none")), "not_found");
    today.abc.expectError(today.abc.request(frame("feedback").put("conversation", today.fromCarol).put("seq", 1)
        .put("wanted", "loud")), "bad_frame");
    String notAbcs = openAccepted(today.carol, "bob", today.bob);
    today.abc.expectError(today.abc.request(frame("feedback").put("conversation", notAbcs).put("seq", 1)
        .put("wanted", "none")), "forbidden");
    today.abc.expectError(today.abc.request(frame("adopt-suggestion").put("suggestion", "s-0000")), "not_found");
    today.bob.expectError(today.bob.request(frame("adopt-suggestion").put("suggestion", carolId)), "not_found");
    today.carol.expectError(today.carol.request(frame("dismiss-suggestion").put("suggestion", carolId)), "not_found");
    assertTrue(today.bob.request(frame("get-rules")).getJsonObject("document").getJsonArray("rules").isEmpty());
    assertEquals(listed, suggestionsOf(today.abc));

    // Adopting: the rule joins abc's document and decides carol's next digest.
    assertOk(today.abc.request(frame("adopt-suggestion").put("suggestion", carolId)));
    assertEquals(carolRule, today.abc.request(frame("get-rules")).getJsonObject("document").getJsonArray("rules")
        .getJsonObject(0));
    today.carol.request(frame("send").put("conversation", today.fromCarol).put("body", "Weekly digest #6"));
    JsonObject digest = today.abc.next("message");
    assertEquals("silent", digest.getString("notify"), digest::encode);
    assertEquals("from-carol-silent", digest.getString("rule"));
    assertEquals(List.of("from-bob-none", "closings-none"), ruleIds(suggestionsOf(today.abc)));

    // Dismissing: never proposed again, however much more agrees.
    assertOk(today.abc.request(frame("dismiss-suggestion").put("suggestion", closings.getString("id"))));
    assertEquals(List.of(), today.receiveAndMark(today.bob, today.fromBob, "thanks!", "none"));
    Day later = new Day(4);
    assertEquals(List.of("from-bob-none"), ruleIds(suggestionsOf(later.abc)));
    assertEquals(List.of(), later.receiveAndMark(later.bob, later.fromBob, "see you", "none"));
    assertEquals(List.of("from-bob-none"), ruleIds(suggestionsOf(later.abc)));
  }
}
