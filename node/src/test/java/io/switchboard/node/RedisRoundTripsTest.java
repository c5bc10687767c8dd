package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.switchboard.node.NodeTestBase.assertOk;
import static io.switchboard.node.NodeTestBase.frame;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one conversation setup (open → offer → accept → opened → close, no message) and one message cost a standalone
 * Redis: the round trips the clients wait for, every exchange with Redis, and the commands, counted by a proxy between
 * the node and a real {@code redis-server} ({@link RedisTrafficProxy}) and checked against Redis's own
 * {@code INFO commandstats}. The bounds are today's figures (docs/REDIS-STORE.md, "What an operation costs"): a
 * change that adds a round trip or a command fails here; one that saves some should lower them.
 */
@ExtendWith(VertxExtension.class)
class RedisRoundTripsTest {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRoundTripsTest.class);

  /** Round trips a client waits for, through the whole setup: 2 to the offer, 1 to opened, 1 to closed. */
  private static final int SETUP_ROUND_TRIPS_WAITED = 4;
  /** Every exchange of a setup, including those the node makes after answering (decision, rules on close). */
  private static final int SETUP_EXCHANGES = 6;
  private static final int SETUP_COMMANDS = 17;
  private static final int SETUP_SCRIPT_CALLS = 11;
  /** A message: {@code append}, waited for, then one {@code observe} of its sender and recipient, not waited for. */
  private static final Map<String, Integer> MESSAGE_COMMANDS = Map.of("EVALSHA append", 1, "EVALSHA observe", 1);

  @TempDir
  Path dir;
  private RedisServer redis;
  private RedisTrafficProxy proxy;
  private TestNode node;
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(TestClient::close);
    if (node != null) {
      // before its Redis goes away
      TestClient.await(node.node.stop(Duration.ofSeconds(5)));
    }
    if (proxy != null) {
      proxy.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * What one step cost: round trips before the client saw its outcome; exchanges and commands until the node went
   * quiet; the commands Redis executed (the scripts' own included) and the µs its scripts took.
   */
  private record Step(String name, int waited, RedisTrafficProxy.Traffic traffic, Map<String, Long> executed,
                      long scriptMicros) {
    String format() {
      return String.format("%-48s round trips waited %d, exchanges %d, commands %d %s%n%48s Redis executed %s, "
              + "scripts in %d µs", name, waited, traffic.exchanges(), traffic.commandCount(), traffic.commands(), "",
          executed, scriptMicros);
    }

    long executedCalls(String command) {
      return executed.getOrDefault(command, 0L);
    }
  }

  @Test
  void aSetupAndAMessageCostAFewRoundTripsOfAFewCommands(Vertx vertx) {
    redis = RedisServer.builder().build().start();
    proxy = RedisTrafficProxy.start(redis.port());
    // A long lease: no renewal or eviction scan falls inside a measured step.
    node = TestNode.start(vertx, dir, directory(), "--redis", proxy.uri(), "--lease", "PT10M");
    TestClient caller = track(node.connect("caller"));
    TestClient agent = track(node.connect("agent"));

    // Warm-up: the first open parses and caches the virtual user's definition, the first messages the
    // conversation and both users' rules, on every event loop (and Redis connection) the steps below use.
    String warm = open(caller, agent);
    exchange(caller, agent, warm, 2);
    close(caller, agent, warm);
    int connections = proxy.traffic().connections();
    proxy.lockStep();
    proxy.settle();

    List<Step> setup = new ArrayList<>();
    String[] conversation = new String[1];
    setup.add(step("setup: open → offer", () -> {
      caller.send(frame("open").put("id", "measured").put("to", "desk"));
      conversation[0] = agent.next("offer").getString("conversation");
    }));
    setup.add(step("setup: accept → opened", () -> {
      assertOk(agent.request(frame("accept").put("conversation", conversation[0])));
      assertEquals("opened", caller.next(f -> "measured".equals(f.getString("id"))).getString("type"));
    }));
    setup.add(step("setup: close → closed (no message sent)", () -> close(caller, agent, conversation[0])));

    String talk = open(caller, agent);
    proxy.settle();
    List<Step> messages = List.of(
        step("message: the caller's first in a conversation", () -> exchange(caller, agent, talk, 1)),
        step("message: the caller's next", () -> exchange(caller, agent, talk, 1)),
        step("message: the agent's first", () -> exchange(agent, caller, talk, 1)),
        step("message: the agent's next", () -> exchange(agent, caller, talk, 1)),
        step("close → closed (after messages)", () -> close(caller, agent, talk)));

    int waited = setup.stream().mapToInt(Step::waited).sum();
    int exchanges = setup.stream().mapToInt(step -> step.traffic().exchanges()).sum();
    int commands = setup.stream().mapToInt(step -> step.traffic().commandCount()).sum();
    int scripts = setup.stream().mapToInt(step -> step.traffic().scriptCalls()).sum();
    StringBuilder report = new StringBuilder("Redis per operation (standalone):\n");
    setup.forEach(step -> report.append(step.format()).append('\n'));
    report.append(String.format("%-48s round trips waited %d, exchanges %d, commands %d, of them script calls %d%n",
        "setup in all", waited, exchanges, commands, scripts));
    messages.forEach(step -> report.append(step.format()).append('\n'));
    LOG.warn("{}", report);

    Step message = messages.get(1);
    Step agentMessage = messages.get(3);
    assertAll(
        () -> assertEquals(connections, proxy.traffic().connections(), "no new Redis connection while measuring"),
        () -> assertTrue(waited <= SETUP_ROUND_TRIPS_WAITED, "round trips a setup waits for: " + waited),
        () -> assertTrue(exchanges <= SETUP_EXCHANGES, "exchanges of a setup: " + exchanges),
        () -> assertTrue(commands <= SETUP_COMMANDS, "commands of a setup: " + commands),
        () -> assertTrue(scripts <= SETUP_SCRIPT_CALLS, "script calls of a setup: " + scripts),
        // A message on a standalone Redis: one script numbers it, records it and checks the recipient's mailbox;
        // then, nobody waiting, one observation of each party for the adaptive manager, side by side.
        () -> assertEquals(MESSAGE_COMMANDS, message.traffic().commands(), message.format()),
        () -> assertEquals(1, message.waited(), message.format()),
        () -> assertEquals(2, message.traffic().exchanges(), message.format()),
        () -> assertEquals(MESSAGE_COMMANDS, agentMessage.traffic().commands(), agentMessage.format()),
        // Both gateways learnt the conversation when it opened: even the first message is one script to wait for.
        () -> messages.subList(0, 4).forEach(each -> assertEquals(MESSAGE_COMMANDS, each.traffic().commands(),
            each.format())),
        // Redis executed exactly the script calls the proxy saw: nothing reached it another way.
        () -> setup.forEach(step -> assertEquals(step.traffic().scriptCalls(),
            step.executedCalls("evalsha") + step.executedCalls("eval"), step.format())));
  }

  /** Runs {@code action} (which waits for its outcome at the clients) and counts what it cost Redis. */
  private Step step(String name, Runnable action) {
    RedisTrafficProxy.Traffic before = proxy.traffic();
    Map<String, long[]> statsBefore = RedisTrafficProxy.commandStats(redis.port());
    action.run();
    int waited = proxy.traffic().minus(before).exchanges();
    proxy.settle();
    RedisTrafficProxy.Traffic traffic = proxy.traffic().minus(before);
    Map<String, long[]> statsAfter = RedisTrafficProxy.commandStats(redis.port());
    Map<String, Long> executed = new TreeMap<>();
    long scriptMicros = 0;
    for (Map.Entry<String, long[]> entry : statsAfter.entrySet()) {
      long[] earlier = statsBefore.getOrDefault(entry.getKey(), new long[2]);
      long calls = entry.getValue()[0] - earlier[0];
      if (calls > 0 && !entry.getKey().equals("info")) {
        executed.put(entry.getKey(), calls);
        if (entry.getKey().startsWith("eval")) {
          // a script's time includes the commands it ran
          scriptMicros += entry.getValue()[1] - earlier[1];
        }
      }
    }
    return new Step(name, waited, traffic, executed, scriptMicros);
  }

  private String open(TestClient caller, TestClient agent) {
    return NodeTestBase.openAccepted(caller, "desk", agent);
  }

  /** {@code count} messages from {@code sender}, each acked and delivered. */
  private static void exchange(TestClient sender, TestClient recipient, String conversation, int count) {
    for (int i = 0; i < count; i++) {
      String body = "hello " + System.nanoTime();
      JsonObject ack = sender.request(frame("send").put("conversation", conversation).put("body", body));
      assertEquals("ack", ack.getString("type"), ack::encode);
      assertEquals(body, recipient.next("message").getString("body"));
    }
  }

  private static void close(TestClient closer, TestClient peer, String conversation) {
    assertOk(closer.request(frame("close").put("conversation", conversation)));
    assertEquals(conversation, peer.next("closed").getString("conversation"));
    assertEquals(conversation, closer.next("closed").getString("conversation"));
  }

  /** A caller and a virtual user {@code desk} of one member, {@code agent}, with the default policy. */
  private static JsonObject directory() {
    return new JsonObject()
        .put("users", new JsonArray().add(new JsonObject().put("id", "caller"))
            .add(new JsonObject().put("id", "agent").put("maxConversations", 100)))
        .put("virtualUsers", new JsonArray().add(new JsonObject().put("id", "desk")
            .put("members", new JsonArray().add("agent"))));
  }

  private TestClient track(TestClient client) {
    clients.add(client);
    return client;
  }
}
