package io.switchboard.node;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.node.NodeTestBase.RUSH_CAPACITY;
import static io.switchboard.node.NodeTestBase.RUSH_MEMBERS;
import static io.switchboard.node.NodeTestBase.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 500 opens to the virtual user {@code rush} sent at once by the given sources, with its members (capacity 3
 * each) accepting every offer: no member takes more than its capacity, every unit of capacity is used once, and
 * every other open gets a clear {@code unavailable}.
 */
final class CapacityCheck {

  private static final int OPENS = 500;
  /**
   * The node options of a burst: a few sources open hundreds of conversations at once, which the abuse limits on
   * pending opens and on offers per member would otherwise refuse.
   */
  static final List<String> NODE_OPTIONS = List.of("--max-pending-opens", "500", "--member-offers-per-second", "1000");

  private CapacityCheck() {
  }

  static void run(List<TestClient> sources, List<TestClient> members) {
    members.forEach(TestClient::autoAccept);
    for (int i = 0; i < OPENS; i++) {
      sources.get(i % sources.size()).send(frame("open").put("id", "o" + i).put("to", "rush"));
    }
    Map<String, Integer> perAgent = new HashMap<>();
    Map<String, Integer> errors = new HashMap<>();
    for (int i = 0; i < OPENS; i++) {
      String id = "o" + i;
      JsonObject reply = sources.get(i % sources.size()).next(frame -> id.equals(frame.getString("id")));
      if ("opened".equals(reply.getString("type"))) {
        perAgent.merge(reply.getString("agent"), 1, Integer::sum);
      } else {
        assertEquals("error", reply.getString("type"), reply::encode);
        assertTrue(reply.getString("message").length() > 0);
        errors.merge(reply.getString("code"), 1, Integer::sum);
      }
    }
    perAgent.forEach((agent, count) -> assertTrue(count <= RUSH_CAPACITY, agent + " took " + count));
    int opened = perAgent.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(RUSH_MEMBERS.size() * RUSH_CAPACITY, opened, "every unit of capacity is used once: " + perAgent);
    assertEquals(Map.of("unavailable", OPENS - opened), errors);
  }
}
