package io.switchboard.node;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/ADMIN-API.md §The OpenAPI document, over real HTTP against a real node: the document is served, and requests
 * that break it are refused with a message naming what broke it, changing nothing.
 */
class AdminOpenApiTest extends NodeTestBase {

  private AdminClient admin;

  @BeforeEach
  void adminClient() {
    admin = node.admin();
  }

  @Test
  void theDocumentIsServedAsItIsWithoutAToken() throws IOException {
    AdminClient.Response served = AdminClient.bearer(vertx, node.node.httpPort(), null).get("/api/v1/openapi.json");
    JsonObject document = served.ok();
    assertTrue(document.getString("openapi").startsWith("3.1."), document.getString("openapi"));
    try (InputStream in = getClass().getResourceAsStream("/io/switchboard/admin/openapi.json")) {
      assertEquals(new JsonObject(new String(in.readAllBytes())), document);
    }
    assertTrue(document.getJsonObject("paths").containsKey("/api/v1/users/{id}"));
  }

  @Test
  void aBodyThatBreaksTheDocumentIs400NamingWhereAndChangesNothing() {
    assertRefused(HttpMethod.PUT, "/api/v1/users/anna", new JsonObject().put("maxConversation", 5),
        "maxConversation is not a property");
    assertRefused(HttpMethod.PUT, "/api/v1/users/anna", new JsonObject().put("name", 42), "name");
    assertRefused(HttpMethod.PUT, "/api/v1/users/anna", new JsonObject().put("geo", new JsonObject().put("lat", 200)
        .put("lon", 0)), "geo.lat (200): 200 is greater than 90");
    admin.get("/api/v1/users/anna").error(404, "not_found");

    assertRefused(HttpMethod.PUT, "/api/v1/virtual-users/desk", new JsonObject(), "members");
    assertRefused(HttpMethod.PUT, "/api/v1/virtual-users/desk", new JsonObject().put("members", new JsonArray().add("bob"))
        .put("policy", new JsonObject().put("maxOffers", "three")), "policy.maxOffers (\"three\")");
    admin.get("/api/v1/virtual-users/desk").error(404, "not_found");

    JsonObject record = new JsonObject().put("ts", 1).put("source", "abc").put("destination", "shop")
        .put("subUsers", new JsonArray().add("m1"));
    assertRefused(HttpMethod.POST, "/api/v1/history", new JsonObject().put("records", new JsonArray().add(record)
        .add(record.copy().put("subUsers", new JsonArray()))), "records[1].subUsers");
    assertEquals(new JsonArray(), admin.get("/api/v1/history?source=abc&destination=shop").ok().getJsonArray("records"));
  }

  @Test
  void aBodyNotSentAsJsonIs415AndChangesNothing() {
    for (String contentType : new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
      AdminClient.Response refused = admin.send(HttpMethod.PUT, "/api/v1/users/anna", "{\"name\":\"Anna\"}", contentType);
      String message = refused.error(415, "unsupported_media_type");
      assertTrue(message.contains("application/json"), message);
    }
    admin.get("/api/v1/users/anna").error(404, "not_found");
    assertEquals("Anna", new JsonObject(admin.send(HttpMethod.PUT, "/api/v1/users/anna", "{\"name\":\"Anna\"}",
        "application/json; charset=utf-8").body()).getString("name"));
  }

  /** What the node answers with every field set, it accepts back: the document names every field the node writes. */
  @Test
  void everyFieldTheNodeWritesIsOneTheDocumentAccepts() {
    JsonObject user = admin.put("/api/v1/users/anna", new JsonObject().put("name", "Anna").put("geo", BERLIN)
        .put("attributes", new JsonObject().put("tier", "senior")).put("maxConversations", 3)).ok();
    assertEquals(user, admin.put("/api/v1/users/anna", admin.get("/api/v1/users/anna").ok()).ok());

    JsonArray chain = new JsonArray()
        .add(new JsonObject().put("type", "sticky").put("expiration", "PT1H").put("among", "nearest"))
        .add(new JsonObject().put("type", "match").put("priority", 5)
            .put("when", new JsonArray().add(new JsonObject().put("attribute", "level").put("op", ">=").put("value", 3)))
            .put("select", new JsonArray().add(new JsonObject().put("attribute", "tier").put("op", "=")
                .put("sourceAttribute", "tier"))))
        .add(new JsonObject().put("type", "nearest"))
        .add(new JsonObject().put("type", "round-robin"))
        .add(new JsonObject().put("type", "least-load"))
        .add(new JsonObject().put("type", "overflow").put("to", "shop").put("after", "PT30S"));
    JsonObject policy = new JsonObject().put("availableStatuses", new JsonArray().add("online").add("busy"))
        .put("chain", chain).put("offerTimeout", "PT20S").put("maxOffers", 2).put("revealAgent", true)
        .put("queue", new JsonObject().put("maxWaiting", 10).put("maxWait", "PT5M").put("bypassPriority", 5))
        .put("hours", new JsonObject().put("zone", "Asia/Shanghai")
            .put("weekly", new JsonObject().put("mon", new JsonArray().add("09:00-12:00").add("13:00-18:00")))
            .put("exceptions", new JsonArray().add(new JsonObject().put("date", "2026-10-01").put("windows", new JsonArray())))
            .put("whenClosed", "queue").put("message", "Back on Monday"));
    JsonObject desk = admin.put("/api/v1/virtual-users/desk", new JsonObject().put("name", "Desk")
        .put("members", new JsonArray().add("anna").add("bob")).put("policy", policy)).ok();
    assertEquals(desk, admin.put("/api/v1/virtual-users/desk", admin.get("/api/v1/virtual-users/desk").ok()).ok());
    assertEquals(policy.getJsonObject("queue"), desk.getJsonObject("policy").getJsonObject("queue"));
    assertEquals(policy.getJsonObject("hours"), desk.getJsonObject("policy").getJsonObject("hours"));
  }

  @Test
  void queryParametersAreCheckedAgainstTheDocument() {
    String message = admin.get("/api/v1/decisions?destination=shop&limit=ten").error(400, "bad_request");
    assertTrue(message.contains("query parameter limit") && message.contains("integer"), message);
    message = admin.get("/api/v1/history?destination=shop").error(400, "bad_request");
    assertTrue(message.contains("query parameter source"), message);
  }

  @Test
  void aMethodOrPathTheDocumentDoesNotDescribeIs404() {
    assertTrue(admin.send(HttpMethod.DELETE, "/api/v1/users/abc", null).error(404, "not_found").contains("DELETE"));
    admin.send(HttpMethod.POST, "/api/v1/decisions", "{}").error(404, "not_found");
    admin.get("/api/v1/users").error(404, "not_found");
    admin.get("/api/v1/users/abc").ok();
  }

  @Test
  void theTokenIsCheckedBeforeTheDocument() {
    AdminClient anonymous = admin.withAuthorization(null);
    anonymous.put("/api/v1/users/anna", new JsonObject().put("maxConversation", 5)).error(401, "unauthorized");
    anonymous.send(HttpMethod.PUT, "/api/v1/users/anna", "{}", "text/plain").error(401, "unauthorized");
    anonymous.send(HttpMethod.DELETE, "/api/v1/users/anna", null).error(401, "unauthorized");
  }

  private void assertRefused(HttpMethod method, String uri, JsonObject body, String expected) {
    String message = admin.send(method, uri, body.encode()).error(400, "bad_request");
    assertTrue(message.contains(expected), message);
  }
}
