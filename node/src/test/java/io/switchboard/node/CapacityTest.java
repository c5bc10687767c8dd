package io.switchboard.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selection and the load increment are one atomic step: a burst of opens never pushes a member past its
 * capacity, and every open gets an answer.
 */
class CapacityTest extends NodeTestBase {

  private static final int OPENS = 500;
  private static final List<String> SOURCES = List.of("abc", "bob", "carol");

  @Test
  void fiveHundredOpensAtOnceNeverExceedAMembersCapacity() {
    RUSH_MEMBERS.forEach(member -> connect(member).autoAccept());
    List<TestClient> sources = SOURCES.stream().map(this::connect).toList();
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
