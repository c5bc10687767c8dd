package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading its socket while messages keep coming: the node buffers at most
 * {@code --max-outbound-bytes} for it, then closes the connection (and counts it), and everyone else goes on.
 * Nothing is lost for the client: after reconnecting it resumes from the store's transcript.
 */
class OutboundBufferTest extends NodeTestBase {

  private static final int MAX_OUTBOUND = 1 << 20;
  private static final String BODY = "x".repeat(60_000);
  /** Far more than the bound and any kernel buffers: 1,000 messages of 60 KB are 60 MB. */
  private static final int MOST_MESSAGES = 1000;

  @Override
  String[] nodeOptions() {
    return new String[] {"--max-outbound-bytes", String.valueOf(MAX_OUTBOUND), "--heartbeat", "PT1S"};
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAndResumesAfterReconnecting() {
    TestClient abc = connect("abc");
    TestClient carol = connect("carol");
    String conversation;
    try (LineClient stuck = new LineClient(node.node.tcpPort())) {
      stuck.next(frame -> "hello".equals(frame.getString("type")));
      stuck.send(frame("auth").put("id", "a").put("token", node.token("bob")));
      stuck.next(frame -> "ready".equals(frame.getString("type")));
      abc.send(frame("open").put("id", "o").put("to", "bob"));
      String offered = stuck.next(frame -> "offer".equals(frame.getString("type"))).getString("conversation");
      stuck.send(frame("accept").put("id", "x").put("conversation", offered));
      conversation = abc.next(frame -> "o".equals(frame.getString("id"))).getString("conversation");
      assertEquals(offered, conversation);

      // bob stops reading; abc sends until the node gives up on bob.
      int sent = 0;
      while (node.node.connectionCounters().outboundOverflows() == 0 && sent < MOST_MESSAGES) {
        JsonObject ack = abc.request(frame("send").put("conversation", conversation).put("body", BODY));
        assertEquals("ack", ack.getString("type"), ack::encode);
        sent++;
      }
      assertEquals(1, node.node.connectionCounters().outboundOverflows(), "closed after " + sent + " messages");
      assertEquals("pong", carol.request(frame("ping")).getString("type"), "others are served meanwhile");
      assertTrue(stuck.drainUntilClosed(), "the node closed the connection of the client that did not read");
    }

    // Everything is in the transcript: a new connection resumes from the start, at the pace it reads.
    TestClient bob = connectTcp("bob");
    bob.send(frame("resume").put("id", "r").put("conversation", conversation).put("after", 0));
    long last = 0;
    for (JsonObject frame = bob.next(); !"r".equals(frame.getString("id")); frame = bob.next()) {
      if ("message".equals(frame.getString("type"))) {
        assertEquals(last + 1, frame.getLong("seq"), "in order, none missing");
        last = frame.getLong("seq");
      }
    }
    assertTrue(last > 0);
    JsonObject lastAck = abc.request(frame("send").put("conversation", conversation).put("body", "after"));
    assertEquals(last + 1, lastAck.getLong("seq"), "resume returned every message sent");
    assertEquals("after", bob.next("message").getString("body"));
    assertEquals(1, node.node.connectionCounters().outboundOverflows(), "the resume did not overflow");
  }
}
