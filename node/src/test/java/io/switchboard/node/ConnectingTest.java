package io.switchboard.node;

import io.switchboard.contract.Version;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PROTOCOL.md §Connecting over both transports: hello, auth, ping, and every way auth is refused. */
class ConnectingTest extends NodeTestBase {

  enum Transport {
    WEBSOCKET(test -> test.webSocket()),
    TCP(test -> test.tcp());

    final Function<NodeTestBase, TestClient> open;

    Transport(Function<NodeTestBase, TestClient> open) {
      this.open = open;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void authenticatesWithAStandardJwtAndAnswersPings(Transport transport) {
    TestClient client = transport.open.apply(this);
    assertEquals("pong", client.request(frame("ping")).getString("type"));
    JsonObject ready = client.auth(node.token("abc"));
    assertEquals("abc", ready.getString("user"));
    assertTrue(ready.getString("session").startsWith("s-"));
    JsonObject pong = client.request(frame("ping"));
    assertEquals("pong", pong.getString("type"));
  }

  @Test
  void framesSentBeforeReadyAreHandledOnceReadyAndThoseBeyond64AreRefusedWithTheirIds() {
    TestClient client = tcp();
    StringBuilder pipelined = new StringBuilder(frame("auth").put("id", "a").put("token", node.token("abc")).encode())
        .append('\n');
    for (int i = 1; i <= 70; i++) {
      pipelined.append(frame("ping").put("id", "p" + i).encode()).append('\n');
    }
    client.sendBytes(Buffer.buffer(pipelined.toString())); // one write: all of it arrives before ready

    for (int i = 65; i <= 70; i++) {
      String id = "p" + i;
      client.expectError(client.next(reply -> id.equals(reply.getString("id"))), "rate_limited");
    }
    assertEquals("ready", client.next(reply -> "a".equals(reply.getString("id"))).getString("type"));
    for (int i = 1; i <= 64; i++) {
      String id = "p" + i;
      assertEquals("pong", client.next(reply -> id.equals(reply.getString("id"))).getString("type"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void helloNamesTheNodeAndTheHeartbeat(Transport transport) {
    JsonObject hello = transport.open.apply(this).hello();
    assertEquals(node.node.nodeId(), hello.getString("node"));
    assertEquals(30_000, hello.getLong("heartbeat"));
    assertEquals("switchboard/" + Version.NUMBER, hello.getString("server"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anExpiredTokenIsRefusedAndTheConnectionClosed(Transport transport) {
    long past = System.currentTimeMillis() / 1000 - 60;
    String expired = TestNode.token(vertx, TestNode.SECRET, new JsonObject().put("sub", "abc").put("exp", past));
    assertRefused(transport.open.apply(this), expired);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTokenSignedWithAnotherSecretIsRefused(Transport transport) {
    String forged = TestNode.token(vertx, "not-the-node-secret-0123456789abcdef",
        new JsonObject().put("sub", "abc").put("exp", TestNode.inAnHour()));
    assertRefused(transport.open.apply(this), forged);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTokenForAnUnknownUserIsRefused(Transport transport) {
    assertRefused(transport.open.apply(this), node.token("nobody"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void garbageInPlaceOfATokenIsRefused(Transport transport) {
    assertRefused(transport.open.apply(this), "not.a.jwt");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anyFrameButAuthOrPingBeforeAuthIsRefusedAndCloses(Transport transport) {
    TestClient client = transport.open.apply(this);
    client.expectError(client.request(frame("open").put("to", "shop")), "unauthenticated");
    client.expectClosed();
  }

  @Test
  void aVirtualUserCannotLogIn() {
    assertRefused(webSocket(), node.token("shop"));
  }

  @Test
  void authWithoutATokenIsRefused() {
    TestClient client = webSocket();
    client.expectError(client.request(frame("auth")), "unauthenticated");
    client.expectClosed();
  }

  @Test
  void aSecondAuthIsABadFrameAndKeepsTheSession() {
    TestClient client = connect("abc");
    client.expectError(client.request(frame("auth").put("token", node.token("bob"))), "bad_frame");
    assertEquals("pong", client.request(frame("ping")).getString("type"));
  }

  @Test
  void framesSentRightAfterAuthAreHandledOnceReady() {
    TestClient client = webSocket();
    client.send(frame("auth").put("id", "a").put("token", node.token("abc")));
    client.send(frame("status").put("id", "s").put("status", "busy"));
    assertEquals("ready", client.next().getString("type"));
    JsonObject ok = client.next();
    assertEquals("ok", ok.getString("type"));
    assertEquals("s", ok.getString("id"));
  }

  private void assertRefused(TestClient client, String token) {
    client.expectError(client.request(frame("auth").put("token", token)), "unauthenticated");
    client.expectClosed();
  }
}
