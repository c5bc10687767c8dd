package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes the protocol session over real WebSocket and TCP connections to a real node: a client sends an
 * arbitrary sequence of frames (every known type with fields right, wrong and random; unknown types; text that
 * is not JSON, bytes that are not UTF-8, binary and oversized frames), pipelined, authenticated or not. Then
 * <ul>
 *   <li>every request with a string {@code id} got exactly one reply with that id, unless the server closed the
 *       connection after an error that closes it (PROTOCOL.md), and then at most one;</li>
 *   <li>no connection ever receives {@code internal}, and no handler throws on the node;</li>
 *   <li>a bystander connection on the same node receives nothing and still answers;</li>
 *   <li>a connection the server kept answers a ping after all that.</li>
 * </ul>
 * Tries: {@code -Dfuzz.tries} (docs/TESTING.md).
 */
class SessionFuzzTest {

  private static final int LIMIT = 65_536;
  private static final Duration REPLIES_WITHIN = Duration.ofSeconds(20);
  /** Every user of the test directory but carol, the bystander, and a few that are not. */
  private static final List<String> USERS = List.of("abc", "bob", "shop", "strict", "near", "rush", "m1", "m2",
      "nobody", "", "c-1");
  private static final Set<String> CLOSING_CODES = Set.of("unauthenticated", "too_large");
  /** Stand-ins the driver fills in as it sends: a fresh request id, a token, the conversation of the try. */
  private static final String ID = "$id";
  private static final String CONVERSATION = "$conversation";
  private static final String TOKEN = "$token:";

  private static Vertx vertx;
  private static Path directory;
  private static TestNode node;
  /** carol: connected all along, never named by the fuzzer. */
  private static TestClient bystander;
  /** m1, a member of shop that accepts every offer, so that the fuzzer's conversations are real. */
  private static TestClient member;
  /** abc's other connection, which opens a conversation with shop for each try. */
  private static TestClient source;
  private static final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private static int tries;

  @BeforeContainer
  static void startNode() throws IOException {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(uncaught::add);
    directory = Files.createTempDirectory("session-fuzz");
    node = TestNode.start(vertx, directory, NodeTestBase.directory());
    bystander = node.connect("carol");
    member = node.connectTcp("m1").autoAccept();
    source = node.connectTcp("abc");
  }

  @AfterContainer
  static void stopNode() throws IOException {
    Stream.of(bystander, member, source).forEach(TestClient::close);
    TestClient.await(vertx.close());
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** What the fuzzer sends: a frame (with stand-ins), or input that is not a frame. */
  record Step(Kind kind, JsonObject frame, String text) {
    enum Kind { FRAME, TEXT, NOT_UTF8, BINARY, TOO_LARGE, BURST }

    @Override
    public String toString() {
      return kind + (frame != null ? " " + frame.encode() : "") + (text != null ? " " + Json.encode(text) : "");
    }
  }

  record Script(boolean tcp, List<Step> steps) {
  }

  /** Random scripts only: edge cases would be the same few frames over and over. */
  @Property(edgeCases = EdgeCasesMode.NONE)
  void everyRequestIsAnsweredOnceAndNoOneElseNotices(@ForAll("scripts") Script script) {
    String conversation = openConversation();
    TestClient client = script.tcp() ? node.tcp() : node.webSocket();
    try {
      Map<String, Integer> requests = new HashMap<>();
      int[] nextId = {0};
      sendUntilClosed(client, () -> {
        for (Step step : script.steps()) {
          send(client, script.tcp(), step, conversation, nextId, requests);
        }
      });
      List<JsonObject> received = receive(client, requests);
      if (!client.isClosed()) {
        // a connection the server kept still answers, and nothing more came for the requests before
        Map<String, Integer> last = new HashMap<>();
        sendUntilClosed(client, () -> sendText(client, script.tcp(), "{\"type\":\"ping\",\"id\":\"last\"}", last));
        received.addAll(receive(client, last));
        last.forEach((id, count) -> requests.merge(id, count, Integer::sum));
      }
      check(client, script.tcp(), requests, received);
    } finally {
      client.close();
      cleanUp();
    }
    String id = "bystander-" + (++tries);
    bystander.send(new JsonObject().put("type", "ping").put("id", id));
    JsonObject next = bystander.next();
    assertEquals(new JsonObject().put("type", "pong").put("id", id), next, "the bystander got " + next.encode());
    assertTrue(uncaught.isEmpty(), () -> "thrown on the node: " + uncaught);
  }

  /** A conversation of abc with shop, answered by m1, for the fuzzer to send in; null when m1 is full. */
  private static String openConversation() {
    JsonObject opened = source.request(new JsonObject().put("type", "open").put("to", "shop"));
    return "opened".equals(opened.getString("type")) ? opened.getString("conversation") : null;
  }

  /** Closes every conversation m1 was offered, so that m1 has room in the next try; checks what m1 and abc got. */
  private static void cleanUp() {
    List<String> conversations = new ArrayList<>();
    for (JsonObject frame : drain(member)) {
      if ("offer".equals(frame.getString("type"))) {
        conversations.add(frame.getString("conversation"));
      }
    }
    drain(source);
    for (String conversation : conversations) {
      JsonObject closed = member.request(new JsonObject().put("type", "close").put("conversation", conversation));
      // an offer m1 never answered (withdrawn, timed out, its open cancelled) opened nothing: not_found
      assertTrue("ok".equals(closed.getString("type")) || "gone".equals(closed.getString("code"))
          || "not_found".equals(closed.getString("code")), closed::encode);
    }
  }

  private static List<JsonObject> drain(TestClient client) {
    List<JsonObject> frames = new ArrayList<>();
    for (JsonObject frame = client.poll(Duration.ZERO); frame != null; frame = client.poll(Duration.ZERO)) {
      assertNotInternal(frame);
      frames.add(frame);
    }
    return frames;
  }

  private static void assertNotInternal(JsonObject frame) {
    assertTrue(!"internal".equals(frame.getString("code")), () -> "internal error: " + frame.encode());
  }

  // --- sending

  /** Sends what {@code sending} sends, or as much of it as the server reads before it closes the connection. */
  private static void sendUntilClosed(TestClient client, Runnable sending) {
    try {
      sending.run();
    } catch (UncheckedIOException closedByTheServer) {
      client.expectClosed(); // the rest is not sent; the checks want the server's reason
    }
  }

  private static void send(TestClient client, boolean tcp, Step step, String conversation, int[] nextId,
                           Map<String, Integer> requests) {
    switch (step.kind()) {
      case FRAME -> sendText(client, tcp, fill(step.frame(), conversation, nextId).encode(), requests);
      case TEXT -> sendText(client, tcp, tcp ? step.text().replace('\n', ' ') : step.text(), requests);
      case NOT_UTF8 -> {
        Buffer bytes = Buffer.buffer("{\"type\":\"ping\",\"id\":\"").appendByte((byte) 0xC3).appendByte((byte) 0x28)
            .appendString("\"}");
        client.sendBytes(tcp ? bytes.appendString("\n") : bytes);
      }
      case BINARY -> {
        if (!tcp) {
          client.sendBinary(Buffer.buffer("{\"type\":\"ping\",\"id\":\"binary\"}"));
        }
      }
      case TOO_LARGE -> client.sendRaw("{\"type\":\"ping\",\"id\":\"" + "x".repeat(LIMIT) + "\"}");
      case BURST -> {
        for (int i = 0; i < 70; i++) {
          sendText(client, tcp, fill(step.frame(), conversation, nextId).encode(), requests);
        }
      }
    }
  }

  /** Sends text as one frame, counting it as a request when the server will read it as one. */
  private static void sendText(TestClient client, boolean tcp, String text, Map<String, Integer> requests) {
    client.sendRaw(text);
    if (tcp && text.isBlank()) {
      return; // an empty line is no frame on TCP
    }
    try {
      if (Json.decodeValue(text) instanceof JsonObject frame && frame.getValue("type") instanceof String
          && frame.getValue("id") instanceof String id) {
        requests.merge(id, 1, Integer::sum);
      }
    } catch (DecodeException notJson) {
      // bad_frame, without an id
    }
  }

  /** A copy of {@code template} with the stand-ins filled in. */
  private static JsonObject fill(JsonObject template, String conversation, int[] nextId) {
    JsonObject frame = new JsonObject();
    template.forEach(field -> frame.put(field.getKey(), fill(field.getValue(), conversation, nextId)));
    return frame;
  }

  private static Object fill(Object value, String conversation, int[] nextId) {
    if (ID.equals(value)) {
      return "f" + (++nextId[0]);
    }
    if (CONVERSATION.equals(value)) {
      return conversation != null ? conversation : "c-none";
    }
    if (value instanceof String text && text.startsWith(TOKEN)) {
      return node.token(text.substring(TOKEN.length()));
    }
    if (value instanceof JsonObject object) {
      return fill(object, conversation, nextId);
    }
    if (value instanceof JsonArray array) {
      JsonArray filled = new JsonArray();
      array.forEach(item -> filled.add(fill(item, conversation, nextId)));
      return filled;
    }
    return value;
  }

  // --- receiving and checking

  /** Frames until every request has a reply, or all there are once the server closed the connection. */
  private static List<JsonObject> receive(TestClient client, Map<String, Integer> requests) {
    List<JsonObject> received = new ArrayList<>();
    Map<String, Integer> replies = new HashMap<>();
    long deadline = System.nanoTime() + REPLIES_WITHIN.toNanos();
    while (!replies.equals(requests) || client.isClosed()) {
      JsonObject frame = client.poll(Duration.ofMillis(20));
      if (frame != null) {
        received.add(frame);
        if (frame.getValue("id") instanceof String id) {
          replies.merge(id, 1, Integer::sum);
          assertTrue(replies.get(id) <= requests.getOrDefault(id, 0),
              () -> "more replies than requests with id " + id + ": " + received);
        }
      } else if (client.isClosed()) {
        break; // a closed client has every frame it will get queued
      } else if (System.nanoTime() > deadline) {
        fail("no reply within " + REPLIES_WITHIN + ": requests " + requests + ", replies " + replies
            + ", received " + received);
      }
    }
    return received;
  }

  private static void check(TestClient client, boolean tcp, Map<String, Integer> requests,
                            List<JsonObject> received) {
    received.forEach(SessionFuzzTest::assertNotInternal);
    Map<String, Integer> replies = new HashMap<>();
    received.stream().filter(frame -> frame.getValue("id") instanceof String)
        .forEach(frame -> replies.merge(frame.getString("id"), 1, Integer::sum));
    if (client.isClosed()) {
      assertTrue(received.stream().anyMatch(frame -> "error".equals(frame.getString("type"))
          && CLOSING_CODES.contains(frame.getString("code"))), () -> "closed without a reason: " + received);
      short code = client.expectClosed();
      assertTrue(tcp || code == 1008 || code == 1009, () -> "WebSocket close code " + code);
      replies.forEach((id, count) -> assertTrue(count <= requests.getOrDefault(id, 0), id));
    } else {
      assertEquals(requests, replies, () -> "replies by id; received " + received);
    }
  }

  // --- scripts

  @Provide
  Arbitrary<Script> scripts() {
    Arbitrary<List<Step>> start = Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.just(List.of(frame(new JsonObject().put("type", "auth").put("id", ID)
            .put("token", TOKEN + "abc"))))),
        Tuple.of(1, Arbitraries.of(TOKEN + "nobody", "not.a.jwt").map(token -> List.of(frame(new JsonObject()
            .put("type", "auth").put("id", ID).put("token", token))))),
        Tuple.of(2, Arbitraries.just(List.of())));
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(160, request().map(SessionFuzzTest::frame)),
        Tuple.of(12, Arbitraries.strings().ofMaxLength(20).map(text -> new Step(Step.Kind.TEXT, null, text))),
        Tuple.of(8, Arbitraries.of("[]", "42", "\"ping\"", "{\"type\":1,\"id\":\"x\"}", "{\"type\":\"ping\",\"id\":7}",
            "{\"id\":\"y\"}", "{\"type\":\"ping\"", "").map(text -> new Step(Step.Kind.TEXT, null, text))),
        Tuple.of(4, Arbitraries.just(new Step(Step.Kind.NOT_UTF8, null, null))),
        Tuple.of(4, Arbitraries.just(new Step(Step.Kind.BINARY, null, null))),
        Tuple.of(2, Arbitraries.just(new Step(Step.Kind.BURST, new JsonObject().put("type", "ping").put("id", ID), null))),
        Tuple.of(1, Arbitraries.just(new Step(Step.Kind.TOO_LARGE, null, null))));
    return Combinators.combine(Arbitraries.of(true, false), start, step.list().ofMaxSize(16))
        .as((tcp, first, rest) -> {
          List<Step> steps = new ArrayList<>(first);
          steps.addAll(rest);
          return new Script(tcp, steps);
        });
  }

  private static Step frame(JsonObject frame) {
    return new Step(Step.Kind.FRAME, frame, null);
  }

  /** A frame of a known type (or not) with the fields of its type, mostly, and maybe others. */
  private static Arbitrary<JsonObject> request() {
    Arbitrary<String> type = Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.of(TYPE_FIELDS.keySet())),
        Tuple.of(1, Arbitraries.of("teleport", "", "PING", "hello")));
    Arbitrary<Object> id = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.just(ID)),
        Tuple.of(2, Arbitraries.just(null)),
        Tuple.of(1, Arbitraries.of(7, true).map(Object.class::cast)));
    return type.flatMap(typeName -> {
      List<String> own = TYPE_FIELDS.getOrDefault(typeName, List.of());
      Arbitrary<List<String>> names = Combinators.combine(
          Arbitraries.of(true, true, true, true, false).list().ofSize(own.size()),
          Arbitraries.of(FIELDS.keySet()).list().ofMaxSize(2))
          .as((keep, extra) -> Stream.concat(own.stream().filter(name -> keep.get(own.indexOf(name))), extra.stream())
              .distinct().toList());
      return Combinators.combine(id, names.flatMap(SessionFuzzTest::fieldValues)).as((idValue, fields) -> {
        JsonObject frame = new JsonObject().put("type", typeName);
        if (idValue != null) {
          frame.put("id", idValue);
        }
        fields.forEach(frame::put);
        return frame;
      });
    });
  }

  private static Arbitrary<Map<String, Object>> fieldValues(List<String> names) {
    if (names.isEmpty()) {
      return Arbitraries.just(Map.of());
    }
    return Combinators.combine(names.stream().map(FIELDS::get).toList()).as(values -> {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        fields.put(names.get(i), values.get(i));
      }
      return fields;
    });
  }

  /** The fields of each type of client frame (PROTOCOL.md). */
  private static final Map<String, List<String>> TYPE_FIELDS = Map.ofEntries(
      Map.entry("auth", List.of("token")), Map.entry("ping", List.of()),
      Map.entry("status", List.of("status", "activity")), Map.entry("watch", List.of("users")),
      Map.entry("unwatch", List.of("users")), Map.entry("open", List.of("to", "context")),
      Map.entry("accept", List.of("conversation")), Map.entry("decline", List.of("conversation")),
      Map.entry("send", List.of("conversation", "body")), Map.entry("close", List.of("conversation")),
      Map.entry("resume", List.of("conversation", "after")), Map.entry("transcript", List.of("conversation")),
      Map.entry("get-rules", List.of()), Map.entry("set-rules", List.of("document")));

  /** Each field of the protocol with values right for it, values wrong for it, and anything. */
  private static final Map<String, Arbitrary<Object>> FIELDS = Map.ofEntries(
      field("token", List.of(TOKEN + "abc"), List.of(TOKEN + "nobody", "not.a.jwt", "", 42)),
      field("status", List.of("online", "busy", "away"), List.of("offline", "", "ONLINE", 3)),
      field("activity", List.of("presenting", "driving"), List.of("x".repeat(300), "", 5)),
      Map.entry("users", mostly(Arbitraries.of(USERS).list().ofMinSize(1).ofMaxSize(3).map(SessionFuzzTest::array),
          Arbitraries.of(array(Collections.nCopies(1001, "u")), array(List.of(1, 2)), "abc", new JsonArray()))),
      field("to", List.of("shop", "shop", "near", "bob", "abc", "nobody", "strict", "rush"), List.of("", 5, true)),
      field("context", List.of(new JsonObject(), object("geo", object("lat", 39.9).put("lon", 116.4)),
              object("attributes", object("level", 3))),
          List.of(object("geo", object("lat", 200)), object("geo", "x"), object("attributes", 5), "x", new JsonArray())),
      field("conversation", List.of(CONVERSATION), List.of("c-unknown", "", 7)),
      field("body", List.of("hello", "Thanks!", "urgent", "", "x".repeat(5000)), List.of(5, object("a", 1))),
      field("after", List.of(0, 1, 3), List.of(-1, "x", 1e20, Long.MAX_VALUE, 2.5)),
      field("document", List.of(new JsonObject(),
              object("rules", new JsonArray().add(object("id", "r").put("when", object("content", object("keywords",
                  new JsonArray().add("urgent")))).put("then", object("hold", object("until", "PT1M"))))),
              object("rules", new JsonArray().add(object("id", "r").put("when", new JsonObject())
                  .put("then", object("autoReply", "away").put("notify", "silent")))),
              object("rules", new JsonArray().add(object("id", "r").put("when", new JsonObject())
                  .put("then", object("drop", true))))),
          List.of(object("colour", "red"), "x", object("rules", "x"))),
      Map.entry("x", value(2)));

  private static Map.Entry<String, Arbitrary<Object>> field(String name, List<Object> right, List<Object> wrong) {
    return Map.entry(name, mostly(Arbitraries.of(right), Arbitraries.of(wrong)));
  }

  /** Mostly values meant for a field, sometimes wrong ones, and now and then anything. */
  private static Arbitrary<Object> mostly(Arbitrary<?> right, Arbitrary<?> wrong) {
    return Arbitraries.frequencyOf(Tuple.of(8, right.map(Object.class::cast)), Tuple.of(2, wrong.map(Object.class::cast)),
        Tuple.of(1, value(1)));
  }

  private static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(Object.class::cast),
        Arbitraries.integers().map(Object.class::cast), Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast), Arbitraries.just(null));
    if (depth == 0) {
      return leaf;
    }
    return Arbitraries.oneOf(leaf, value(depth - 1).list().ofMaxSize(3).map(SessionFuzzTest::array),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), value(depth - 1)).ofMaxSize(3)
            .map(map -> new JsonObject(new LinkedHashMap<>(map))));
  }

  private static JsonObject object(String key, Object value) {
    return new JsonObject().put(key, value);
  }

  private static JsonArray array(List<?> items) {
    return new JsonArray(new ArrayList<>(items));
  }
}
