package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten sources queue behind the one member of {@code line}, whose capacity is 1 (docs/POLICY.md § Queue): each gets
 * {@code queued} with its position, and a new one each time its position changes, as a model of the queue says; as
 * the member frees up it is offered the sources strictly by priority then arrival, each once. The same run on one
 * embedded node and on two nodes sharing Redis.
 */
final class QueueScenario {

  static final String LINE = "line";
  static final String DESK = "desk";
  static final String AGENT = "agent";
  static final String FIRST = "first";
  static final int SOURCES = 10;
  /** Priorities of s0…s9, in the order they open. */
  static final List<Integer> PRIORITIES = List.of(0, 2, 0, 1, 2, 0, 1, 0, 2, 0);

  private QueueScenario() {
  }

  /**
   * The directory: {@code line} with its member {@code agent} (capacity 1) and a queue; {@code desk} with the same
   * member and a queue of one that waits a second, where a source of level 3 or more has priority 5 and may pass
   * over the limit; sources first, s0…s9.
   */
  static JsonObject directory() {
    JsonArray users = new JsonArray().add(new JsonObject().put("id", AGENT).put("maxConversations", 1)
            .put("attributes", new JsonObject().put("team", "desk")))
        .add(new JsonObject().put("id", FIRST));
    for (int i = 0; i < SOURCES; i++) {
      users.add(new JsonObject().put("id", "s" + i));
    }
    JsonObject policy = new JsonObject().put("offerTimeout", "PT30S").put("revealAgent", true)
        .put("queue", new JsonObject().put("maxWaiting", 20).put("maxWait", "PT5M"));
    JsonObject vip = new JsonObject().put("type", "match").put("priority", 5)
        .put("when", new JsonArray().add(new JsonObject().put("attribute", "level").put("op", ">=").put("value", 3)))
        .put("select", new JsonArray().add(new JsonObject().put("attribute", "team").put("op", "=").put("value", "desk")));
    JsonObject deskPolicy = new JsonObject().put("chain", new JsonArray().add(vip).add(new JsonObject().put("type", "least-load")))
        .put("queue", new JsonObject().put("maxWaiting", 1).put("maxWait", "PT1S").put("bypassPriority", 5));
    return new JsonObject().put("users", users).put("virtualUsers", new JsonArray()
        .add(new JsonObject().put("id", LINE).put("members", new JsonArray().add(AGENT)).put("policy", policy))
        .add(new JsonObject().put("id", DESK).put("members", new JsonArray().add(AGENT)).put("policy", deskPolicy)));
  }

  /** A source waiting in the model of the queue. */
  private record Waiting(String source, int priority, int arrival) {
  }

  private static final Comparator<Waiting> ORDER =
      Comparator.comparingInt(Waiting::priority).reversed().thenComparingInt(Waiting::arrival);

  /**
   * Runs the scenario: {@code agent} is the member's client, {@code connect} connects a source (on whichever node the
   * caller chooses).
   */
  static void run(TestClient agent, Function<String, TestClient> connect) {
    TestClient first = connect.apply(FIRST);
    String blocking = NodeTestBase.openAccepted(first, LINE, agent);

    Map<String, TestClient> sources = new HashMap<>();
    List<Waiting> queue = new ArrayList<>();
    Map<String, Integer> told = new HashMap<>();
    for (int i = 0; i < SOURCES; i++) {
      String source = "s" + i;
      TestClient client = connect.apply(source);
      sources.put(source, client);
      client.send(NodeTestBase.frame("open").put("id", "open-" + source).put("to", LINE)
          .put("context", new JsonObject().put("attributes", new JsonObject().put("priority", PRIORITIES.get(i)))));
      queue.add(new Waiting(source, PRIORITIES.get(i), i));
      queue.sort(ORDER);
      expectPositions(queue, told, sources, false);
    }

    Set<String> served = new HashSet<>();
    String open = blocking;
    TestClient holder = first;
    for (int round = 0; round < SOURCES; round++) {
      NodeTestBase.assertOk(holder.request(NodeTestBase.frame("close").put("conversation", open)));
      Waiting head = queue.remove(0);
      JsonObject offer = agent.next("offer");
      assertEquals(head.source(), offer.getString("from"), "round " + round + ": the head is served first");
      assertTrue(served.add(offer.getString("from")), "served twice: " + offer.getString("from"));
      NodeTestBase.assertOk(agent.request(NodeTestBase.frame("accept").put("conversation", offer.getString("conversation"))));
      holder = sources.get(head.source());
      JsonObject opened = holder.next(frame -> ("open-" + head.source()).equals(frame.getString("id")));
      assertEquals("opened", opened.getString("type"), opened::encode);
      assertEquals(AGENT, opened.getString("agent"));
      open = opened.getString("conversation");
      told.remove(head.source());
      expectPositions(queue, told, sources, true);
    }
    NodeTestBase.assertOk(holder.request(NodeTestBase.frame("close").put("conversation", open)));
    assertEquals(SOURCES, served.size());
    for (TestClient client : sources.values()) {
      JsonObject extra = client.poll(TestClient.QUIET);
      assertTrue(extra == null || !"queued".equals(extra.getString("type")) && !"opened".equals(extra.getString("type")),
          () -> "nothing more is told: " + extra.encode());
    }
  }

  /** Rounds of {@link #newOpensWaitBehindTheHead}: s1 … s{RACES} come in as newcomers. */
  static final int RACES = SOURCES - 2;

  /**
   * Round after round, the member frees up (its conversation is closed) in the very instant a new open comes in,
   * one request sent right after the other (in either order), while one open waits: the waiting head is offered
   * the member, each time, and the new open waits behind it, to be the head of the next round.
   */
  static void newOpensWaitBehindTheHead(TestClient agent, Function<String, TestClient> connect) {
    TestClient holder = connect.apply(FIRST);
    String open = NodeTestBase.openAccepted(holder, LINE, agent);
    String waiting = "s0";
    TestClient head = connect.apply(waiting);
    head.send(NodeTestBase.frame("open").put("id", "o").put("to", LINE));
    assertEquals(1, head.next("queued").getInteger("position"));
    for (int round = 1; round <= RACES; round++) {
      String newcomer = "s" + round;
      TestClient incoming = connect.apply(newcomer);
      String closing = "close-" + round;
      JsonObject close = NodeTestBase.frame("close").put("id", closing).put("conversation", open);
      JsonObject opening = NodeTestBase.frame("open").put("id", "o").put("to", LINE);
      if (round % 2 == 0) {
        holder.send(close);
        incoming.send(opening);
      } else {
        incoming.send(opening);
        holder.send(close);
      }
      JsonObject offer = agent.next("offer");
      assertEquals(waiting, offer.getString("from"),
          "round " + round + ": the open that waited is served, not " + newcomer + "'s new one");
      NodeTestBase.assertOk(holder.next(frame -> closing.equals(frame.getString("id"))));
      NodeTestBase.assertOk(agent.request(NodeTestBase.frame("accept").put("conversation", offer.getString("conversation"))));
      JsonObject opened = head.next(frame -> "o".equals(frame.getString("id")) && !"queued".equals(frame.getString("type")));
      assertEquals("opened", opened.getString("type"), opened::encode);
      open = opened.getString("conversation");
      incoming.next(frame -> "queued".equals(frame.getString("type")) && frame.getInteger("position") == 1);
      holder = head;
      head = incoming;
      waiting = newcomer;
    }
    NodeTestBase.assertOk(holder.request(NodeTestBase.frame("close").put("conversation", open)));
    JsonObject offer = agent.next("offer");
    assertEquals(waiting, offer.getString("from"));
    NodeTestBase.assertOk(agent.request(NodeTestBase.frame("accept").put("conversation", offer.getString("conversation"))));
    JsonObject opened = head.next(frame -> "o".equals(frame.getString("id")) && !"queued".equals(frame.getString("type")));
    NodeTestBase.assertOk(head.request(NodeTestBase.frame("close").put("conversation", opened.getString("conversation"))));
  }

  /** Each source whose position in the model changed gets exactly one {@code queued} with its new position. */
  private static void expectPositions(List<Waiting> queue, Map<String, Integer> told, Map<String, TestClient> sources,
                                      boolean handled) {
    for (int i = 0; i < queue.size(); i++) {
      String source = queue.get(i).source();
      int position = i + 1;
      if (Integer.valueOf(position).equals(told.get(source))) {
        continue;
      }
      JsonObject queued = sources.get(source).next("queued");
      assertEquals("open-" + source, queued.getString("id"));
      assertEquals(LINE, queued.getString("to"));
      assertEquals(position, queued.getInteger("position"), () -> source + " told " + queued.encode());
      if (handled) {
        Long wait = queued.getLong("estimatedWait");
        assertNotNull(wait, "conversations were handled: a wait is estimated");
        assertEquals(0, wait % position, "one member of capacity 1: the mean handling time per position ahead");
      } else {
        assertNull(queued.getValue("estimatedWait"), "no conversation was handled yet: no estimate");
      }
      told.put(source, position);
    }
  }
}
