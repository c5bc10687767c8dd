package io.switchboard.node;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin HTTP API (ADMIN-API.md) over real HTTP against a real node, with real protocol clients routing. */
class AdminApiTest extends NodeTestBase {

  /** Every endpoint, with a body where it takes one. */
  private static final List<String[]> ENDPOINTS = List.of(
      new String[] {"PUT", "/api/v1/users/anna", "{}"},
      new String[] {"GET", "/api/v1/users/abc", null},
      new String[] {"PUT", "/api/v1/virtual-users/desk", "{\"members\":[\"bob\"]}"},
      new String[] {"GET", "/api/v1/virtual-users", null},
      new String[] {"GET", "/api/v1/nodes", null},
      new String[] {"GET", "/api/v1/virtual-users/shop", null},
      new String[] {"GET", "/api/v1/virtual-users/shop/status", null},
      new String[] {"GET", "/api/v1/virtual-users/shop/queue", null},
      new String[] {"POST", "/api/v1/history", "{\"records\":[]}"},
      new String[] {"GET", "/api/v1/history?source=abc&destination=shop", null},
      new String[] {"GET", "/api/v1/decisions?destination=shop", null},
      new String[] {"GET", "/api/v1/nothing-here", null});

  private static final long HOUR = Duration.ofHours(1).toMillis();

  private AdminClient admin;

  @BeforeEach
  void adminClient() {
    admin = node.admin();
  }

  // --- authentication

  @Test
  void everyEndpointRefusesARequestWithoutABearerToken() {
    for (String header : new String[] {null, "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer  ", "bearer not.a.jwt"}) {
      AdminClient client = admin.withAuthorization(header);
      for (String[] endpoint : ENDPOINTS) {
        AdminClient.Response response = client.send(HttpMethod.valueOf(endpoint[0]), endpoint[1], endpoint[2]);
        response.error(401, "unauthorized");
        assertEquals("Bearer", response.authenticate(), endpoint[1]);
      }
    }
    // Nothing was written by the refused requests.
    admin.get("/api/v1/users/anna").error(404, "not_found");
  }

  @Test
  void aForgedOrExpiredAdminTokenIs401() {
    JsonObject claims = new JsonObject().put("sub", "admin").put("roles", new JsonArray().add("admin"))
        .put("exp", TestNode.inAnHour());
    String forged = TestNode.token(vertx, "some-other-secret-0123456789abcdef", claims);
    assertTrue(bearer(forged).get("/api/v1/users/abc").error(401, "unauthorized").contains("invalid or expired"));
    long anHourAgo = System.currentTimeMillis() / 1000 - 3600;
    String expired = TestNode.token(vertx, TestNode.SECRET, claims.copy().put("exp", anHourAgo));
    bearer(expired).get("/api/v1/users/abc").error(401, "unauthorized");
    // The same claims, signed with the node's secret and not expired, are let in.
    bearer(TestNode.token(vertx, TestNode.SECRET, claims)).get("/api/v1/users/abc").ok();
  }

  @Test
  void aValidTokenWithoutTheAdminRoleIs403() {
    JsonObject user = new JsonObject().put("sub", "abc").put("exp", TestNode.inAnHour());
    for (JsonObject claims : List.of(user, user.copy().put("roles", new JsonArray().add("agent")),
        user.copy().put("roles", "admin"))) {
      AdminClient client = bearer(TestNode.token(vertx, TestNode.SECRET, claims));
      for (String[] endpoint : ENDPOINTS) {
        String message = client.send(HttpMethod.valueOf(endpoint[0]), endpoint[1], endpoint[2]).error(403, "forbidden");
        assertTrue(message.contains("admin"), message);
      }
    }
    bearer(node.token("abc")).get("/api/v1/users/abc").error(403, "forbidden");
  }

  // --- users

  @Test
  void aUserIsCreatedReplacedAndReadBack() {
    JsonObject anna = new JsonObject().put("id", "anna").put("name", "Anna")
        .put("geo", new JsonObject().put("lat", 31.2).put("lon", 121.5))
        .put("attributes", new JsonObject().put("tier", "senior")).put("maxConversations", 5);
    assertEquals(anna, admin.put("/api/v1/users/anna", anna).ok());
    assertEquals(anna, admin.get("/api/v1/users/anna").ok());

    // A body without an id takes the path's; PUT replaces the whole user.
    JsonObject replaced = admin.put("/api/v1/users/anna", new JsonObject().put("name", "Anna B.")).ok();
    assertEquals(new JsonObject().put("id", "anna").put("name", "Anna B.").put("attributes", new JsonObject()), replaced);
    assertEquals(replaced, admin.get("/api/v1/users/anna").ok());
  }

  @Test
  void rulesAreReadAndReplacedAndApplyFromTheNextMessageOn() {
    assertTrue(admin.get("/api/v1/users/bob/rules").ok().getJsonArray("rules").isEmpty());
    admin.get("/api/v1/users/casper/rules").error(404, "not_found");
    admin.put("/api/v1/users/casper/rules", new JsonObject()).error(404, "not_found");
    String invalid = admin.put("/api/v1/users/bob/rules", new JsonObject().put("rules", new JsonArray()
        .add(new JsonObject().put("id", "r").put("when", new JsonObject().put("time", new JsonObject().put("from", "25:00")
            .put("to", "07:00"))).put("then", new JsonObject())))).error(400, "bad_request");
    assertTrue(invalid.contains("rules[0].when.time.from"), invalid);

    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    abc.request(frame("send").put("conversation", conversation).put("body", "first"));
    assertEquals("popup", bob.next("message").getString("notify"));

    JsonObject silent = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("id", "quiet")
        .put("when", new JsonObject()).put("then", new JsonObject().put("notify", "silent"))));
    assertEquals("quiet", admin.put("/api/v1/users/bob/rules", silent).ok().getJsonArray("rules").getJsonObject(0).getString("id"));
    assertEquals("quiet", admin.get("/api/v1/users/bob/rules").ok().getJsonArray("rules").getJsonObject(0).getString("id"));
    abc.request(frame("send").put("conversation", conversation).put("body", "second"));
    assertEquals("silent", bob.next("message").getString("notify"));
  }

  @Test
  void aBodyWhoseIdDiffersFromThePathIs400NamingBoth() {
    String message = admin.put("/api/v1/users/anna", new JsonObject().put("id", "hanna")).error(400, "bad_request");
    assertTrue(message.contains("anna") && message.contains("hanna"), message);
    message = admin.put("/api/v1/virtual-users/desk", new JsonObject().put("id", "shop")
        .put("members", new JsonArray().add("bob"))).error(400, "bad_request");
    assertTrue(message.contains("desk") && message.contains("shop"), message);
    admin.get("/api/v1/users/anna").error(404, "not_found");
    admin.get("/api/v1/virtual-users/desk").error(404, "not_found");
  }

  @Test
  void aMalformedOrNonObjectBodyIs400() {
    for (String body : new String[] {"{\"id\":", "not json", "[{\"id\":\"anna\"}]", "42", "\"anna\"", "null", ""}) {
      for (String uri : List.of("/api/v1/users/anna", "/api/v1/virtual-users/desk")) {
        admin.send(HttpMethod.PUT, uri, body).error(400, "bad_request");
      }
      admin.send(HttpMethod.POST, "/api/v1/history", body).error(400, "bad_request");
    }
  }

  @Test
  void aBodyNotSentAsJsonIs415AndChangesNothing() {
    String anna = new JsonObject().put("name", "Anna").encode();
    for (String contentType : new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
      String message = admin.send(HttpMethod.PUT, "/api/v1/users/anna", anna, contentType)
          .error(415, "unsupported_media_type");
      assertTrue(message.contains("application/json"), message);
      admin.send(HttpMethod.POST, "/api/v1/history", "{\"records\":[]}", contentType).error(415, "unsupported_media_type");
    }
    admin.get("/api/v1/users/anna").error(404, "not_found");
    assertEquals(200, admin.send(HttpMethod.PUT, "/api/v1/users/anna", anna, "Application/JSON; charset=utf-8").status());
  }

  @Test
  void anInvalidUserIs400NamingTheProblem() {
    assertTrue(admin.put("/api/v1/users/anna", new JsonObject().put("maxConversations", -1))
        .error(400, "bad_request").contains("maxConversations"));
    assertTrue(admin.put("/api/v1/users/anna", new JsonObject().put("geo", new JsonObject().put("lat", 200).put("lon", 0)))
        .error(400, "bad_request").contains("lat"));
    assertTrue(admin.put("/api/v1/users/shop", new JsonObject())
        .error(400, "bad_request").contains("virtual user"));
    admin.get("/api/v1/users/anna").error(404, "not_found");
  }

  @Test
  void theDashboardListsEveryVirtualUserAndEveryNodeWithItsConnections() {
    JsonArray virtualUsers = admin.get("/api/v1/virtual-users").ok().getJsonArray("virtualUsers");
    assertEquals(List.of("near", "rush", "shop", "strict"),
        virtualUsers.stream().map(entry -> ((JsonObject) entry).getString("id")).toList());
    assertEquals(new JsonArray().add("m1").add("m2").add("m3"), virtualUsers.getJsonObject(2).getJsonArray("members"));
    admin.put("/api/v1/virtual-users/desk", new JsonObject().put("members", new JsonArray().add("bob"))).ok();
    assertEquals("desk", admin.get("/api/v1/virtual-users").ok().getJsonArray("virtualUsers").getJsonObject(0).getString("id"));

    // The admin client's own HTTP connection is no client connection; protocol clients are, until they go.
    JsonObject alone = nodes().getJsonObject(0);
    assertEquals(node.node.nodeId(), alone.getString("node"));
    assertEquals(new JsonArray().add("gateway").add("router").add("presence"), alone.getJsonArray("roles"));
    long before = alone.getLong("connections");
    TestClient abc = connect("abc");
    connect("bob");
    assertEquals(before + 2, nodes().getJsonObject(0).getLong("connections"));
    abc.close();
    // The node notices the close on its own time; each census takes half a second, which paces the polling.
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (nodes().getJsonObject(0).getLong("connections") != before + 1) {
      assertTrue(System.nanoTime() < deadline, "the closed connection is still counted");
    }
  }

  @Test
  void theQueueOfAVirtualUserListsWhoWaitsHeadFirst() {
    assertEquals(new JsonArray(), admin.get("/api/v1/virtual-users/shop/queue").ok().getJsonArray("waiting"));
    admin.get("/api/v1/virtual-users/ghost/queue").error(404, "not_found");
    // desk's only member, carol, is offline: opens wait in its queue.
    admin.put("/api/v1/virtual-users/desk", new JsonObject().put("members", new JsonArray().add("carol"))
        .put("policy", new JsonObject().put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT5M")))).ok();
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    abc.send(frame("open").put("id", "o1").put("to", "desk"));
    assertEquals(1, abc.next("queued").getInteger("position"));
    bob.send(frame("open").put("id", "o1").put("to", "desk"));
    assertEquals(2, bob.next("queued").getInteger("position"));

    JsonArray waiting = admin.get("/api/v1/virtual-users/desk/queue").ok().getJsonArray("waiting");
    assertEquals(List.of("abc", "bob"), waiting.stream().map(entry -> ((JsonObject) entry).getString("source")).toList());
    assertEquals(1, waiting.getJsonObject(0).getInteger("position"));
    assertTrue(waiting.getJsonObject(0).getLong("since") <= waiting.getJsonObject(1).getLong("since"));

    assertOk(abc.request(frame("cancel").put("open", "o1")));
    assertEquals(1, bob.next("queued").getInteger("position"));
    assertEquals("bob", admin.get("/api/v1/virtual-users/desk/queue").ok().getJsonArray("waiting").getJsonObject(0)
        .getString("source"));
  }

  private JsonArray nodes() {
    JsonArray nodes = admin.get("/api/v1/nodes").ok().getJsonArray("nodes");
    assertEquals(1, nodes.size(), nodes::encode);
    return nodes;
  }

  @Test
  void unknownThingsAre404() {
    assertTrue(admin.get("/api/v1/users/ghost").error(404, "not_found").contains("ghost"));
    assertTrue(admin.get("/api/v1/virtual-users/ghost").error(404, "not_found").contains("ghost"));
    assertTrue(admin.get("/api/v1/virtual-users/ghost/status").error(404, "not_found").contains("ghost"));
    // A common user is not a virtual user.
    admin.get("/api/v1/virtual-users/abc").error(404, "not_found");
    admin.get("/api/v1/history?source=abc&destination=ghost").error(404, "not_found");
    admin.get("/api/v1/decisions?destination=ghost").error(404, "not_found");
    admin.send(HttpMethod.DELETE, "/api/v1/users/abc", null).error(404, "not_found");
    admin.get("/api/v1/nothing-here").error(404, "not_found");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String big = new JsonObject().put("name", "x".repeat(1 << 20)).encode();
    admin.send(HttpMethod.PUT, "/api/v1/users/anna", big).error(413, "too_large");
    admin.get("/api/v1/users/anna").error(404, "not_found");
  }

  // --- virtual users

  @Test
  void aVirtualUserIsCreatedWithItsPolicyAndReadBack() {
    JsonObject policy = new JsonObject().put("availableStatuses", new JsonArray().add("online").add("busy"))
        .put("chain", new JsonArray()
            .add(new JsonObject().put("type", "sticky").put("expiration", "PT1H").put("among", "nearest"))
            .add(new JsonObject().put("type", "round-robin")))
        .put("offerTimeout", "PT5S").put("maxOffers", 1).put("revealAgent", true);
    JsonObject desk = new JsonObject().put("id", "desk").put("name", "Help desk")
        .put("members", new JsonArray().add("bob").add("carol")).put("policy", policy);
    assertEquals(desk, admin.put("/api/v1/virtual-users/desk", desk).ok());
    assertEquals(desk, admin.get("/api/v1/virtual-users/desk").ok());

    // Left out, every policy field takes its default.
    JsonObject defaults = admin.put("/api/v1/virtual-users/desk", new JsonObject().put("members", new JsonArray().add("bob")))
        .ok().getJsonObject("policy");
    assertEquals(new JsonArray().add("online").add("busy").add("away"), defaults.getJsonArray("availableStatuses"));
    assertEquals(new JsonArray().add(new JsonObject().put("type", "sticky").put("expiration", "PT24H").put("among", "latest"))
        .add(new JsonObject().put("type", "least-load")), defaults.getJsonArray("chain"));
    assertEquals("PT15S", defaults.getString("offerTimeout"));
    assertEquals(3, defaults.getInteger("maxOffers"));
    assertEquals(false, defaults.getBoolean("revealAgent"));
  }

  @Test
  void anInvalidPolicyIs400NamingTheProblemAndChangesNothing() {
    JsonObject before = admin.get("/api/v1/virtual-users/shop").ok();
    String message = putShopPolicy(new JsonObject().put("chain", new JsonArray()
        .add(new JsonObject().put("type", "least-load")).add(new JsonObject().put("type", "teleport"))))
        .error(400, "bad_request");
    assertTrue(message.contains("chain[1].type") && message.contains("teleport"), message);
    message = putShopPolicy(new JsonObject().put("chain", new JsonArray()
        .add(new JsonObject().put("type", "sticky").put("expiration", "PT-1H")))).error(400, "bad_request");
    assertTrue(message.contains("chain[0].expiration") && message.contains("PT-1H"), message);
    message = putShopPolicy(new JsonObject().put("offerTimeout", "soon")).error(400, "bad_request");
    assertTrue(message.contains("offerTimeout"), message);
    message = putShopPolicy(new JsonObject().put("availableStatuses", new JsonArray().add("offline"))).error(400, "bad_request");
    assertTrue(message.contains("offline"), message);
    assertEquals(before, admin.get("/api/v1/virtual-users/shop").ok());
  }

  @Test
  void aMemberThatIsNotAUserIs400() {
    String message = admin.put("/api/v1/virtual-users/desk", new JsonObject()
        .put("members", new JsonArray().add("bob").add("ghost"))).error(400, "bad_request");
    assertTrue(message.contains("ghost"), message);
    // A virtual user is not a user either, and a user's id cannot be taken.
    assertTrue(admin.put("/api/v1/virtual-users/desk", new JsonObject().put("members", new JsonArray().add("strict")))
        .error(400, "bad_request").contains("strict"));
    assertTrue(admin.put("/api/v1/virtual-users/bob", new JsonObject().put("members", new JsonArray().add("carol")))
        .error(400, "bad_request").contains("bob"));
    admin.get("/api/v1/virtual-users/desk").error(404, "not_found");
    admin.get("/api/v1/virtual-users/bob").error(404, "not_found");
  }

  @Test
  void statusShowsEachMembersStatusLoadAndCapacity() {
    assertEquals(new JsonObject().put("id", "shop").put("status", "offline").put("members", new JsonArray()
            .add(member("m1", "offline", 0)).add(member("m2", "offline", 0)).add(member("m3", "offline", 0))),
        admin.get("/api/v1/virtual-users/shop/status").ok());

    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    setStatus(m2, "away");
    openAccepted(connect("abc"), "shop", m1);
    assertEquals(new JsonObject().put("id", "shop").put("status", "online").put("members", new JsonArray()
            .add(member("m1", "online", 1)).add(member("m2", "away", 0)).add(member("m3", "offline", 0))),
        admin.get("/api/v1/virtual-users/shop/status").ok());

    // A member without a capacity shows null: unlimited.
    admin.put("/api/v1/users/m3", new JsonObject()).ok();
    assertNull(admin.get("/api/v1/virtual-users/shop/status").ok().getJsonArray("members").getJsonObject(2)
        .getValue("maxConversations"));
  }

  @Test
  void availableStatusesChangedThroughPutRuleTheVeryNextOpen() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    setStatus(m1, "busy");
    putShopPolicy(new JsonObject().put("availableStatuses", new JsonArray().add("online"))).ok();
    abc.expectError(abc.request(frame("open").put("to", "shop")), "unavailable");
    m1.expectNothing();

    putShopPolicy(new JsonObject().put("availableStatuses", new JsonArray().add("online").add("busy"))).ok();
    openAccepted(abc, "shop", m1);
  }

  @Test
  void aNewChainAndMovedMembersChangedThroughPutRuleTheVeryNextOpen() {
    TestClient abc = connect("abc");
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    // abc is at 39.9, 116.4: m2 moves next door, m1 far away.
    admin.put("/api/v1/users/m1", new JsonObject().put("geo", geo(52.5, 13.4)).put("maxConversations", 2)).ok();
    admin.put("/api/v1/users/m2", new JsonObject().put("geo", geo(39.91, 116.41)).put("maxConversations", 2)).ok();
    putShopPolicy(new JsonObject().put("chain", new JsonArray().add(new JsonObject().put("type", "nearest")))).ok();

    // The default chain would have picked m1 (least-load, then by id).
    openAccepted(abc, "shop", m2);
    m1.expectNothing();
    assertEquals("nearest", latestDecision().getString("step"));
  }

  // --- history and decisions

  @Test
  void importedHistoryIsQueriedNewestFirstAndSteersStickyRouting() {
    long now = System.currentTimeMillis();
    JsonObject older = record(now - 3 * HOUR, "abc", "shop", "m1");
    JsonObject newer = record(now - HOUR, "abc", "shop", "m2");
    JsonObject bobs = record(now - 2 * HOUR, "bob", "shop", "m3");
    importHistory(older, bobs, newer);
    importHistory();
    assertEquals(new JsonObject().put("records", new JsonArray().add(newer).add(older)),
        admin.get("/api/v1/history?source=abc&destination=shop").ok());
    assertEquals(new JsonObject().put("records", new JsonArray().add(bobs)),
        admin.get("/api/v1/history?source=bob&destination=shop").ok());
    assertEquals(new JsonObject().put("records", new JsonArray()),
        admin.get("/api/v1/history?source=carol&destination=shop").ok());

    // The imported history is the context routing reads: abc sticks to m2, who handled it last.
    TestClient abc = connect("abc");
    connect("m1");
    TestClient m2 = connect("m2");
    String conversation = openAccepted(abc, "shop", m2);
    JsonArray records = admin.get("/api/v1/history?source=abc&destination=shop").ok().getJsonArray("records");
    assertEquals(3, records.size());
    assertEquals(new JsonArray().add("m2"), records.getJsonObject(0).getJsonArray("subUsers"));
    assertTrue(records.getJsonObject(0).getLong("ts") >= now);
    assertEquals(conversation, latestDecision().getString("conversation"));
  }

  @Test
  void oneBadRecordRefusesTheWholeImportNamingItsIndex() {
    long ts = System.currentTimeMillis() - HOUR;
    JsonObject good = record(ts, "abc", "shop", "m1");
    assertBadRecord(record(ts, "abc", "shop", "s1"), "s1");
    assertBadRecord(record(ts, "abc", "bob", "m1"), "bob");
    assertBadRecord(record(ts, "abc", "ghost", "m1"), "ghost");
    assertBadRecord(record(-5, "abc", "shop", "m1"), "ts");
    assertBadRecord(good.copy().put("ts", 1.5), "ts");
    assertBadRecord(good.copy().put("ts", "yesterday"), "ts");
    assertBadRecord(good.copy().put("source", "a b"), "source");
    JsonObject noDestination = good.copy();
    noDestination.remove("destination");
    assertBadRecord(noDestination, "destination");
    assertBadRecord(good.copy().put("subUsers", new JsonArray()), "subUsers");
    assertBadRecord(good.copy().put("subUsers", "m1"), "subUsers");
    assertTrue(admin.post("/api/v1/history", records(good, 7)).error(400, "bad_request").contains("records[1]"));
    assertTrue(admin.post("/api/v1/history", new JsonObject()).error(400, "bad_request").contains("records"));
    assertTrue(admin.post("/api/v1/history", new JsonObject().put("records", good)).error(400, "bad_request").contains("records"));
    assertEquals(new JsonObject().put("records", new JsonArray()),
        admin.get("/api/v1/history?source=abc&destination=shop").ok());
  }

  @Test
  void decisionsShowTheSelectedMemberTheStepAndTheTraceNewestFirst() {
    importHistory(record(System.currentTimeMillis() - HOUR, "abc", "shop", "m2"));
    TestClient m1 = connect("m1");
    TestClient m2 = connect("m2");
    String first = openAccepted(connect("abc"), "shop", m2);
    String second = openAccepted(connect("bob"), "shop", m1);

    JsonArray decisions = admin.get("/api/v1/decisions?destination=shop").ok().getJsonArray("decisions");
    assertEquals(2, decisions.size(), decisions::encode);
    JsonObject bobs = decisions.getJsonObject(0);
    assertEquals(second, bobs.getString("conversation"));
    assertEquals("bob", bobs.getString("source"));
    assertEquals("shop", bobs.getString("destination"));
    assertEquals("m1", bobs.getString("selected"));
    assertEquals("least-load", bobs.getString("step"));
    assertTrace(bobs.getJsonArray("trace"), "sticky", "passed", "least-load", "selected");

    JsonObject abcs = decisions.getJsonObject(1);
    assertEquals(first, abcs.getString("conversation"));
    assertEquals("abc", abcs.getString("source"));
    assertEquals("m2", abcs.getString("selected"));
    assertEquals("sticky", abcs.getString("step"));
    assertTrace(abcs.getJsonArray("trace"), "sticky", "selected");
    assertTrue(abcs.getLong("ts") <= bobs.getLong("ts"));

    assertEquals(new JsonArray().add(bobs), admin.get("/api/v1/decisions?destination=shop&limit=1").ok().getJsonArray("decisions"));
    assertEquals(decisions, admin.get("/api/v1/decisions?destination=shop&limit=100").ok().getJsonArray("decisions"));
    assertEquals(new JsonArray(), admin.get("/api/v1/decisions?destination=strict").ok().getJsonArray("decisions"));
  }

  @Test
  void queriesWithoutTheirParametersOrWithABadLimitAre400() {
    assertTrue(admin.get("/api/v1/history?source=abc").error(400, "bad_request").contains("destination"));
    assertTrue(admin.get("/api/v1/history?destination=shop").error(400, "bad_request").contains("source"));
    assertTrue(admin.get("/api/v1/decisions").error(400, "bad_request").contains("destination"));
    assertTrue(admin.get("/api/v1/decisions?destination=").error(400, "bad_request").contains("destination"));
    for (String limit : List.of("0", "-1", "ten", "2.5", "")) {
      String message = admin.get("/api/v1/decisions?destination=shop&limit=" + limit).error(400, "bad_request");
      assertTrue(message.contains("limit"), message);
    }
    // past what the node keeps: the message says how many that is
    String message = admin.get("/api/v1/decisions?destination=shop&limit=101").error(400, "bad_request");
    assertTrue(message.contains("limit") && message.contains("100"), message);
  }

  // --- helpers

  private AdminClient bearer(String token) {
    return admin.withAuthorization("Bearer " + token);
  }

  private AdminClient.Response putShopPolicy(JsonObject policy) {
    return admin.put("/api/v1/virtual-users/shop", new JsonObject()
        .put("members", new JsonArray().add("m1").add("m2").add("m3")).put("policy", policy));
  }

  private JsonObject latestDecision() {
    return admin.get("/api/v1/decisions?destination=shop&limit=1").ok().getJsonArray("decisions").getJsonObject(0);
  }

  /** Imports records and asserts the 204 with no body. */
  private void importHistory(JsonObject... records) {
    AdminClient.Response imported = admin.post("/api/v1/history", records((Object[]) records));
    assertEquals(204, imported.status(), imported.body());
    assertEquals("", imported.body());
  }

  private void assertBadRecord(JsonObject bad, String named) {
    JsonObject good = record(System.currentTimeMillis() - HOUR, "bob", "shop", "m3");
    String message = admin.post("/api/v1/history", records(good, bad)).error(400, "bad_request");
    assertTrue(message.contains("records[1]") && message.contains(named), message);
  }

  private static void assertTrace(JsonArray trace, String... stepsAndResults) {
    assertEquals(stepsAndResults.length / 2, trace.size(), trace::encode);
    for (int i = 0; i < trace.size(); i++) {
      JsonObject entry = trace.getJsonObject(i);
      assertEquals(stepsAndResults[2 * i], entry.getString("step"), trace::encode);
      assertEquals(stepsAndResults[2 * i + 1], entry.getString("result"), trace::encode);
      assertTrue(!entry.getString("reason").isBlank(), trace::encode);
    }
  }

  private static JsonObject member(String id, String status, int load) {
    return new JsonObject().put("id", id).put("status", status).put("load", load).put("maxConversations", 2);
  }

  private static JsonObject geo(double lat, double lon) {
    return new JsonObject().put("lat", lat).put("lon", lon);
  }

  private static JsonObject record(long ts, String source, String destination, String subUser) {
    return new JsonObject().put("ts", ts).put("source", source).put("destination", destination)
        .put("subUsers", new JsonArray().add(subUser));
  }

  private static JsonObject records(Object... records) {
    return new JsonObject().put("records", new JsonArray(List.of(records)));
  }
}
