package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/RULES.md § "Server default rules", end to end over real clients: the shipped default, an operator's own
 * defaults applied after each user's rules, a user that turns them off, and a defaults document that is refused.
 * Run on each store.
 */
abstract class DefaultRulesCases extends NodeTestBase {

  private static final String DEFAULTS = "/api/v1/rules/defaults";

  private static void send(TestClient client, String conversation, String body) {
    JsonObject ack = client.request(frame("send").put("conversation", conversation).put("body", body));
    assertEquals("ack", ack.getString("type"), ack::encode);
  }

  private static JsonObject message(TestClient client, String body) {
    JsonObject message = client.next("message");
    assertEquals(body, message.getString("body"), message::encode);
    return message;
  }

  private static void assertDecided(JsonObject message, String notify, String rule) {
    assertEquals(notify, message.getString("notify"), message::encode);
    assertEquals(rule, message.getString("rule"), message::encode);
  }

  /** abc thanks bob, bob answers "yw": how abc's client is told of the "yw". */
  private static JsonObject ywAfterThanks(TestClient abc, TestClient bob, String conversation) {
    send(abc, conversation, "Where is my order 4711?");
    message(bob, "Where is my order 4711?");
    send(bob, conversation, "It ships today.");
    assertDecided(message(abc, "It ships today."), "popup", null);
    send(abc, conversation, "Thanks!");
    message(bob, "Thanks!");
    send(bob, conversation, "yw");
    return message(abc, "yw");
  }

  @Test
  void theShippedDefaultQuietsAClosingRightAfterTheUsersOwnAndTheMessageNamesIt() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);

    assertDecided(ywAfterThanks(abc, bob, conversation), "none", "default-quiet-closings");
    send(bob, conversation, "Oh, one more thing: do you need an invoice?");
    assertDecided(message(abc, "Oh, one more thing: do you need an invoice?"), "popup", null);
    assertEquals("default-quiet-closings", node.admin().get(DEFAULTS).ok().getJsonArray("rules").getJsonObject(0)
        .getString("id"));
  }

  @Test
  void aUserThatTurnsTheDefaultsOffGetsEveryClosingAsBefore() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    assertOk(abc.request(frame("set-rules").put("document", new JsonObject().put("defaults", false))));
    assertFalse(abc.request(frame("get-rules")).getJsonObject("document").getBoolean("defaults"));
    String conversation = openAccepted(abc, "bob", bob);

    assertDecided(ywAfterThanks(abc, bob, conversation), "popup", null);
  }

  @Test
  void anOperatorsDefaultsApplyAfterTheUsersOwnRulesOnTheNextMessage() {
    AdminClient admin = node.admin();
    JsonObject newsletters = new JsonObject().put("rules", new JsonArray().add(new JsonObject()
        .put("id", "quiet-newsletters").put("when", new JsonObject().put("content", new JsonObject()
            .put("keywords", new JsonArray().add("newsletter")))).put("then", new JsonObject().put("notify", "silent"))));
    JsonObject stored = admin.put(DEFAULTS, newsletters).ok();
    assertEquals("quiet-newsletters", stored.getJsonArray("rules").getJsonObject(0).getString("id"));
    assertFalse(stored.containsKey("activations"));
    assertEquals(stored, admin.get(DEFAULTS).ok());

    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    send(bob, conversation, "Our newsletter is out");
    assertDecided(message(abc, "Our newsletter is out"), "silent", "quiet-newsletters");
    assertDecided(ywAfterThanks(abc, bob, conversation), "popup", null);

    assertOk(abc.request(frame("set-rules").put("document", new JsonObject().put("rules", new JsonArray()
        .add(new JsonObject().put("id", "no-news").put("when", new JsonObject().put("content", new JsonObject()
            .put("keywords", new JsonArray().add("newsletter")))).put("then", new JsonObject().put("notify", "none")))))));
    send(bob, conversation, "Another newsletter");
    assertDecided(message(abc, "Another newsletter"), "none", "no-news");
  }

  @Test
  void aDefaultsDocumentThatDoesNotValidateIsRefusedAndChangesNothing() {
    AdminClient admin = node.admin();
    JsonObject before = admin.get(DEFAULTS).ok();
    String activations = admin.put(DEFAULTS, new JsonObject().put("activations", new JsonArray())).error(400, "bad_request");
    assertEquals("activations: unknown key; expected one of timeZone, rules", activations);
    String badRegex = admin.put(DEFAULTS, new JsonObject().put("rules", new JsonArray().add(new JsonObject()
        .put("id", "r").put("when", new JsonObject().put("content", new JsonObject().put("regex", "(")))
        .put("then", new JsonObject())))).error(400, "bad_request");
    assertTrue(badRegex.startsWith("rules[0].when.content.regex: "), badRegex);
    String endless = admin.put(DEFAULTS, new JsonObject().put("rules", new JsonArray().add(new JsonObject()
        .put("id", "r").put("when", new JsonObject()).put("then", new JsonObject().put("hold", true)))))
        .error(400, "bad_request");
    assertTrue(endless.startsWith("rules[0].then.hold: could never end"), endless);
    AdminClient.bearer(vertx, node.node.httpPort(), node.token("abc")).put(DEFAULTS, new JsonObject())
        .error(403, "forbidden");
    assertEquals(before, admin.get(DEFAULTS).ok());

    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    JsonObject yw = ywAfterThanks(abc, bob, conversation);
    assertDecided(yw, "none", "default-quiet-closings");
    assertNull(yw.getString("agent"));
  }
}
