package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection that sends faster than the node's rate limit gets {@code rate_limited} and stays connected. */
class RateLimitTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--rate-limit", "5"};
  }

  @Test
  void framesBeyondTheRateAreRefusedAndTheConnectionKept() {
    TestClient client = tcp();
    for (int i = 0; i < 10; i++) {
      client.send(frame("ping").put("id", "p" + i));
    }
    List<JsonObject> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(client.next());
    }
    long pongs = replies.stream().filter(reply -> "pong".equals(reply.getString("type"))).count();
    long limited = replies.stream().filter(reply -> "rate_limited".equals(reply.getString("code"))).count();
    assertTrue(pongs >= 5 && pongs < 10, "a burst of 5 passes, not all 10: " + replies);
    assertEquals(10 - pongs, limited);
    TestClient other = tcp();
    assertEquals("pong", other.request(frame("ping")).getString("type"));
  }
}
