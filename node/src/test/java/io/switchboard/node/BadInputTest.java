package io.switchboard.node;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad input gets its error code and changes nothing else: the offending connection is kept or closed as
 * PROTOCOL.md says, and a bystander connection on the same node notices nothing and keeps working.
 */
class BadInputTest extends NodeTestBase {

  private static final byte[] INVALID_UTF8 = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
  private static final int LIMIT = 65_536;

  private TestClient bystander;

  @BeforeEach
  void connectBystander() {
    bystander = connect("bob");
  }

  @AfterEach
  void bystanderNoticedNothing() {
    bystander.expectNothing();
    assertEquals("pong", bystander.request(frame("ping")).getString("type"));
  }

  private static void expectKept(TestClient client, String code) {
    JsonObject error = client.expectError(client.next(), code);
    assertEquals(null, error.getString("id"));
    assertEquals("pong", client.request(frame("ping")).getString("type"));
  }

  @Test
  void malformedJsonIsABadFrameOnBothTransports() {
    for (TestClient client : new TestClient[] {connect("abc"), connectTcp("abc")}) {
      client.sendRaw("{\"type\":\"ping\"");
      expectKept(client, "bad_frame");
    }
  }

  @Test
  void aJsonArrayOrScalarIsABadFrame() {
    TestClient client = connectTcp("abc");
    client.sendRaw("[{\"type\":\"ping\"}]");
    expectKept(client, "bad_frame");
    client.sendRaw("42");
    expectKept(client, "bad_frame");
  }

  @Test
  void aMissingOrMistypedTypeOrIdIsABadFrame() {
    TestClient client = connect("abc");
    client.send(new JsonObject().put("id", "x"));
    expectKept(client, "bad_frame");
    client.send(new JsonObject().put("type", 3));
    expectKept(client, "bad_frame");
    client.send(frame("ping").put("id", 12));
    expectKept(client, "bad_frame");
  }

  @Test
  void anUnknownTypeIsUnknownTypeAndKeepsTheConnection() {
    TestClient client = connect("abc");
    client.expectError(client.request(frame("teleport")), "unknown_type");
    assertEquals("pong", client.request(frame("ping")).getString("type"));
  }

  @Test
  void aBinaryWebSocketFrameIsABadFrame() {
    TestClient client = connect("abc");
    client.sendBinary(Buffer.buffer("{\"type\":\"ping\"}"));
    expectKept(client, "bad_frame");
  }

  @Test
  void invalidUtf8IsABadFrameOnBothTransports() {
    TestClient webSocket = connect("abc");
    webSocket.sendBytes(Buffer.buffer(INVALID_UTF8));
    expectKept(webSocket, "bad_frame");
    TestClient tcp = connectTcp("abc");
    tcp.sendBytes(Buffer.buffer(INVALID_UTF8).appendString("\n"));
    expectKept(tcp, "bad_frame");
  }

  @Test
  void aFrameOverTheLimitIsTooLargeAndClosesTheWebSocket() {
    TestClient client = connect("abc");
    client.sendRaw(frameOfSize(LIMIT + 1));
    client.expectError(client.next(), "too_large");
    assertEquals(1009, client.expectClosed());
  }

  @Test
  void aLineOverTheLimitIsTooLargeAndClosesTcpEvenBeforeItEnds() {
    TestClient client = connectTcp("abc");
    client.sendBytes(Buffer.buffer(frameOfSize(LIMIT + 100)));
    client.expectError(client.next(), "too_large");
    client.expectClosed();
  }

  @Test
  void aFrameOfExactlyTheLimitIsAccepted() {
    TestClient client = connectTcp("abc");
    client.sendRaw(frameOfSize(LIMIT));
    assertEquals("pong", client.next().getString("type"));
  }

  @Test
  void framesBeforeAuthAreUnauthenticatedAndClose() {
    TestClient client = tcp();
    client.send(frame("status").put("status", "busy"));
    client.expectError(client.next(), "unauthenticated");
    client.expectClosed();
  }

  @Test
  void badJsonBeforeAuthIsABadFrameAndKeepsTheConnection() {
    TestClient client = webSocket();
    client.sendRaw("nonsense");
    client.expectError(client.next(), "bad_frame");
    client.auth(node.token("abc"));
  }

  /** A ping frame of exactly {@code size} bytes, padded with an ignored field. */
  private static String frameOfSize(int size) {
    String head = "{\"type\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(size - head.length() - tail.length()) + tail;
  }
}
