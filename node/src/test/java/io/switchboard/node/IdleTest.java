package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that sends nothing for twice the heartbeat is closed; one that pings stays. (A WebSocket is
 * pinged after one silent heartbeat; its pong counts as activity, so a silent but live WebSocket stays.)
 */
class IdleTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--heartbeat", "PT0.3S"};
  }

  @Test
  void aSilentTcpConnectionIsClosedAfterTwoHeartbeats() {
    TestClient client = tcp();
    assertEquals(300, client.hello().getLong("heartbeat"));
    client.expectClosed();
  }

  /**
   * The node also closes connections that flushed nothing for three heartbeats (a client that stopped
   * reading): a silent WebSocket is pinged well before, so it stays.
   */
  @Test
  void aSilentWebSocketThatAnswersPingsStaysPastThreeHeartbeats() {
    TestClient client = connect("abc");
    assertTrue(client.staysOpenFor(Duration.ofMillis(1500)), "open after five heartbeats");
    assertEquals("pong", client.request(new JsonObject().put("type", "ping")).getString("type"));
  }

  @Test
  void aClientThatPingsStaysConnectedWellPastTwoHeartbeats() {
    TestClient client = tcp();
    AtomicInteger sent = new AtomicInteger();
    long timer = vertx.setPeriodic(100, id -> client.send(new JsonObject().put("type", "ping").put("id", "k" + sent.incrementAndGet())));
    // 12 pongs take 1.2 s: four heartbeats, twice the idle limit.
    for (int i = 0; i < 12; i++) {
      assertEquals("pong", client.next().getString("type"));
    }
    vertx.cancelTimer(timer);
    assertFalse(client.isClosed());
  }
}
