package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounds of the protocol a client can reach: tokens must expire (and not too late), a connection must
 * authenticate in time whatever it sends, the transcript comes in pages, a watch counts each user once.
 */
class ProtocolLimitsTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--auth-timeout", "PT1S", "--max-token-lifetime", "PT2H"};
  }

  // --- tokens

  @Test
  void aTokenWithoutExpOrWithTimeClaimsThatAreNotNumbersIsUnauthenticatedNotInternal() {
    long exp = TestNode.inAnHour();
    for (JsonObject claims : List.of(new JsonObject().put("sub", "abc"),
        new JsonObject().put("sub", "abc").put("exp", "tomorrow"),
        new JsonObject().put("sub", "abc").put("exp", exp).put("nbf", "now"),
        new JsonObject().put("sub", "abc").put("exp", exp + 7200))) {
      for (TestClient client : new TestClient[] {webSocket(), tcp()}) {
        JsonObject error = client.expectError(client.request(frame("auth")
            .put("token", TestNode.token(vertx, TestNode.SECRET, claims))), "unauthenticated");
        assertFalse(error.getString("message").contains("Exception"), error::encode);
        client.expectClosed();
      }
      String admin = TestNode.token(vertx, TestNode.SECRET, claims.copy().put("roles", new JsonArray().add("admin")));
      AdminClient.bearer(vertx, node.node.httpPort(), admin).get("/api/v1/users/abc").error(401, "unauthorized");
    }
  }

  @Test
  void aTokenWithACritHeaderIsRefused() {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestNode.SECRET)));
    String token = signer.generateToken(new JsonObject().put("sub", "abc").put("exp", TestNode.inAnHour()),
        new JWTOptions().setHeader(new JsonObject().put("crit", new JsonArray().add("x-ext")).put("x-ext", 1)));
    TestClient client = webSocket();
    assertTrue(client.expectError(client.request(frame("auth").put("token", token)), "unauthenticated")
        .getString("message").contains("crit"));
  }

  // --- authentication timeout

  @Test
  void aConnectionThatDoesNotAuthenticateInTimeIsClosedEvenIfItPings() {
    TestClient tcp = tcp();
    TestClient webSocket = webSocket();
    long pinger = vertx.setPeriodic(200, id -> List.of(tcp, webSocket).forEach(client -> {
      try {
        client.send(frame("ping"));
      } catch (UncheckedIOException closedMeanwhile) {
        // the node closed it: what the test waits for
      }
    }));
    try {
      for (TestClient client : List.of(tcp, webSocket)) {
        JsonObject error = client.next("error");
        assertEquals("unauthenticated", error.getString("code"), error::encode);
        assertEquals("authenticate within 1 s", error.getString("message"));
      }
      assertEquals(0, tcp.expectClosed());
      assertEquals(1008, webSocket.expectClosed());
    } finally {
      vertx.cancelTimer(pinger);
    }
    assertEquals(2, node.node.connectionCounters().authTimeouts());
  }

  @Test
  void anAuthenticatedConnectionOutlivesTheAuthTimeout() {
    TestClient client = connect("abc");
    client.expectNothing();
    long pinger = vertx.setPeriodic(200, id -> client.send(frame("ping")));
    try {
      // 8 pongs take 1.6 s, past the auth timeout.
      for (int i = 0; i < 8; i++) {
        assertEquals("pong", client.next().getString("type"));
      }
    } finally {
      vertx.cancelTimer(pinger);
    }
    assertFalse(client.isClosed());
  }

  // --- watch

  @Test
  void aWatchOfRepeatedIdsSendsOnePresenceFramePerUser() {
    TestClient abc = connect("abc");
    assertOk(abc.request(frame("watch").put("users", new JsonArray().add("bob").add("bob").add("carol").add("bob"))));
    assertEquals(List.of("bob", "carol"), List.of(abc.next("presence").getString("user"), abc.next("presence").getString("user")));
    abc.expectNothing();
  }

  // --- transcript pages

  @Test
  void theTranscriptComesInPagesAfterASeq() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    for (int i = 1; i <= 130; i++) {
      abc.request(frame("send").put("conversation", conversation).put("body", "m" + i));
    }
    JsonObject first = bob.request(frame("transcript").put("conversation", conversation));
    assertEquals(100, first.getJsonArray("messages").size(), "an old client gets the first page");
    assertTrue(first.getBoolean("more"));
    JsonObject rest = bob.request(frame("transcript").put("conversation", conversation).put("after", 100));
    assertEquals("m101", rest.getJsonArray("messages").getJsonObject(0).getString("body"));
    assertEquals(30, rest.getJsonArray("messages").size());
    assertFalse(rest.getBoolean("more"));
    JsonObject few = bob.request(frame("transcript").put("conversation", conversation).put("after", 5).put("limit", 2));
    assertEquals(List.of(6L, 7L), few.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList());
    assertTrue(few.getBoolean("more"));
    for (Object bad : new Object[] {0, 101, "10", 2.5}) {
      bob.expectError(bob.request(frame("transcript").put("conversation", conversation).put("limit", bad)), "bad_frame");
    }
    bob.expectError(bob.request(frame("transcript").put("conversation", conversation).put("after", -1)), "bad_frame");
  }

  @Test
  void aTranscriptPageEndsBeforeItPassesAMegabyte() {
    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    String conversation = openAccepted(abc, "bob", bob);
    String body = "y".repeat(60_000);
    for (int i = 0; i < 20; i++) {
      abc.request(frame("send").put("conversation", conversation).put("body", body));
    }
    JsonObject page = bob.request(frame("transcript").put("conversation", conversation));
    int size = page.getJsonArray("messages").size();
    assertTrue(size < 20 && page.getBoolean("more"), "a page of " + size);
    assertTrue(page.getJsonArray("messages").encode().length() <= 1 << 20);
    JsonObject next = bob.request(frame("transcript").put("conversation", conversation).put("after", size));
    assertEquals(20 - size, next.getJsonArray("messages").size());
    assertFalse(next.getBoolean("more"));
  }
}
