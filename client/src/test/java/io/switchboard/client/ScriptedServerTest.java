package io.switchboard.client;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.client.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a scripted server (TCP) that plays the node's part: the second-round extensions (queues,
 * cancel, transfers, suggestions), frames of unknown types, and the shutdown frame with exact timing and a resume
 * whose messages arrive out of order.
 */
class ScriptedServerTest {

  private Vertx vertx;
  private ScriptedServer server;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = ScriptedServer.start(vertx);
  }

  @AfterEach
  void stop() {
    clients.forEach(client -> await(client.close()));
    await(vertx.close());
  }

  private SwitchboardClient connect(Recorder recorder, Backoff backoff) {
    SwitchboardClient client = SwitchboardClient.create(vertx,
        ClientOptions.tcp("127.0.0.1", server.port()).setToken("t").setBackoff(backoff)).addListener(recorder);
    clients.add(client);
    await(client.connect());
    return client;
  }

  private SwitchboardClient connect(Recorder recorder) {
    return connect(recorder, Backoff.DEFAULT);
  }

  private static JsonObject frame(String type) {
    return new JsonObject().put("type", type);
  }

  private static JsonObject message(String conversation, long seq) {
    return frame("message").put("conversation", conversation).put("from", "x").put("seq", seq).put("ts", seq)
        .put("body", "m" + seq).put("notify", "popup");
  }

  @Test
  void reportsQueuePositionsOfAWaitingOpenAndCancelsIt() {
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(recorder);
    server.reply(request -> switch (request.getString("type")) {
      case "open" -> List.of(
          frame("queued").put("id", request.getString("id")).put("to", request.getString("to")).put("position", 3).put("estimatedWait", 45_000),
          frame("queued").put("id", request.getString("id")).put("to", request.getString("to")).put("position", 2).putNull("estimatedWait"));
      case "cancel" -> List.of(frame("ok").put("id", request.getString("id")),
          frame("error").put("id", request.getString("open")).put("code", "cancelled").put("message", "the open was cancelled"));
      default -> ScriptedServer.ok(request);
    });
    List<ServerFrame.Queued> seen = new ArrayList<>();
    var opening = client.open("shop", new OpenOptions().onQueued(seen::add));
    ServerFrame.Queued second = recorder.awaitNth(ServerFrame.Queued.class, 1);
    assertEquals(List.of(3, 2), seen.stream().map(ServerFrame.Queued::position).toList());
    assertEquals(45_000L, seen.get(0).estimatedWait());
    assertNull(second.estimatedWait());
    await(client.cancelOpen(second.id()));
    SwitchboardException cancelled = assertThrows(SwitchboardException.class, () -> await(opening));
    assertEquals("cancelled", cancelled.code());
    assertEquals(second.id(), cancelled.requestId());
    assertEquals(List.of(second.id()), server.received("cancel").stream().map(cancel -> cancel.getString("open")).toList());
  }

  @Test
  void replaysATransferredConversationToTheMemberThatAcceptsIt() {
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(recorder);
    server.reply(request -> "resume".equals(request.getString("type"))
        ? List.of(message(request.getString("conversation"), 1), message(request.getString("conversation"), 2),
            frame("ok").put("id", request.getString("id")))
        : ScriptedServer.ok(request));
    server.send(frame("offer").put("conversation", "c-t").put("from", "abc").put("to", "shop")
        .put("expires", System.currentTimeMillis() + 15_000)
        .put("transfer", new JsonObject().put("from", "ShopAssistant1").put("note", "wants a refund")));
    ServerFrame.Offer offer = recorder.awaitNth(ServerFrame.Offer.class, 0);
    assertEquals(new ServerFrame.TransferInfo("ShopAssistant1", "wants a refund"), offer.transfer());
    await(client.accept(offer.conversation()));
    recorder.awaitNth(ServerFrame.Message.class, 1);
    assertEquals(List.of(List.of("c-t", 0L)), server.received("resume").stream()
        .map(resume -> List.<Object>of(resume.getString("conversation"), resume.getLong("after"))).toList());
    recorder.await("the conversation followed", () -> client.conversations().equals(Map.of("c-t", 2L)));
  }

  @Test
  void transfersAConversationAndTellsTheSourceWhereItWent() {
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(recorder);
    server.reply(request -> "transfer".equals(request.getString("type"))
        ? List.of(frame("ok").put("id", request.getString("id")), frame("closed")
            .put("conversation", request.getString("conversation")).put("by", "u").put("reason", "transferred"))
        : ScriptedServer.ok(request));
    await(client.transfer("c-1", "ShopAssistant2", "speaks German"));
    assertEquals("transferred", recorder.awaitNth(ServerFrame.Closed.class, 0).reason());
    JsonObject sent = server.received("transfer").get(0);
    assertEquals(List.of("c-1", "ShopAssistant2", "speaks German"),
        List.of(sent.getString("conversation"), sent.getString("to"), sent.getString("note")));

    server.send(frame("transferred").put("conversation", "c-2").put("to", "shop").putNull("agent"));
    assertEquals(new ServerFrame.Transferred("c-2", "shop", null), recorder.awaitNth(ServerFrame.Transferred.class, 0));

    server.reply(request -> List.of(frame("error").put("id", request.getString("id")).put("code", "unavailable")
        .put("message", "nobody took it")));
    SwitchboardException refused = assertThrows(SwitchboardException.class, () -> await(client.transfer("c-3", "ShopAssistant3", null)));
    assertEquals(List.of("unavailable", "nobody took it"), List.of(refused.code(), refused.getMessage()));
  }

  @Test
  void asksForAdoptsAndDismissesSuggestionsGivesFeedbackAndHearsNewOnes() {
    Recorder recorder = new Recorder();
    List<ServerFrame.Suggestions> pushed = new ArrayList<>();
    SwitchboardClient client = connect(recorder).addListener(new ClientListener() {
      @Override
      public void onSuggestions(ServerFrame.Suggestions suggestions) {
        pushed.add(suggestions);
      }
    });
    JsonObject suggestion = new JsonObject().put("id", "s-1").put("rule", new JsonObject().put("id", "quiet-nights"))
        .putNull("activation").put("evidence", "you silenced 14 of 15 messages after 22:00").put("support", 14)
        .put("confidence", 0.93);
    server.reply(request -> "get-suggestions".equals(request.getString("type"))
        ? List.of(frame("suggestions").put("id", request.getString("id")).put("suggestions", new JsonArray().add(suggestion)))
        : ScriptedServer.ok(request));
    ServerFrame.Suggestion got = await(client.getSuggestions()).get(0);
    assertEquals(List.of("s-1", "quiet-nights", 14, 0.93), List.of(got.id(), got.rule().getString("id"), got.support(), got.confidence()));
    assertNull(got.activation());
    await(client.adoptSuggestion("s-1"));
    await(client.dismissSuggestion("s-2"));
    await(client.feedback("c-1", 12, "hold"));
    assertEquals("s-1", server.received("adopt-suggestion").get(0).getString("suggestion"));
    assertEquals("s-2", server.received("dismiss-suggestion").get(0).getString("suggestion"));
    JsonObject feedback = server.received("feedback").get(0);
    assertEquals(List.of("c-1", 12L, "hold"), List.of(feedback.getString("conversation"), feedback.getLong("seq"), feedback.getString("wanted")));

    server.send(frame("suggestions").put("suggestions", new JsonArray().add(suggestion.copy().put("id", "s-3"))));
    recorder.await("the pushed suggestions", () -> pushed.size() == 1);
    assertEquals("s-3", pushed.get(0).suggestions().get(0).id());
  }

  @Test
  void passesFramesOfUnknownTypesThroughOnFrameOnly() {
    Recorder recorder = new Recorder();
    List<ServerFrame> frames = new ArrayList<>();
    SwitchboardClient client = connect(recorder).addListener(new ClientListener() {
      @Override
      public void onFrame(ServerFrame frame) {
        frames.add(frame);
      }
    });
    server.send(frame("something-new").put("value", 1));
    server.send(frame("pong"));
    recorder.awaitNth(ServerFrame.Pong.class, 0);
    assertEquals(new ServerFrame.Unknown("something-new", null, frame("something-new").put("value", 1)), frames.get(0));
    assertEquals(List.of(), recorder.all(SwitchboardException.class));
    assertEquals(ClientState.READY, client.state());
  }

  @Test
  void waitsRetryAfterReconnectsAndResumesFromTheLastSeqInOrder() {
    Recorder recorder = new Recorder();
    // A backoff of 10 s against a retryAfter of 300 ms shows which one the client waited for.
    connect(recorder, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 2));
    server.send(message("c-1", 3));
    recorder.awaitNth(ServerFrame.Message.class, 0);
    // On the next connection the resume is answered with seq 5 arriving live before the resumed 3 (again) and 4.
    server.reply(request -> "resume".equals(request.getString("type"))
        ? List.of(message("c-1", 5), message("c-1", 3), message("c-1", 4), frame("ok").put("id", request.getString("id")))
        : ScriptedServer.ok(request));
    server.send(frame("shutdown").put("reconnect", true).put("retryAfter", 300));
    server.closeLatest();

    assertEquals(300, recorder.awaitNth(ServerFrame.Shutdown.class, 0).retryAfter());
    long delay = recorder.awaitNth(ClientListener.Disconnected.class, 0).reconnectIn();
    assertTrue(delay >= 300 && delay <= 600, delay + " ms");
    recorder.awaitNth(ClientListener.Ready.class, 1);
    recorder.awaitNth(ServerFrame.Message.class, 2);
    assertEquals(List.of(3L, 4L, 5L), recorder.all(ServerFrame.Message.class).stream().map(ServerFrame.Message::seq).toList());
    List<ScriptedServer.Received> resumes = server.received().stream()
        .filter(received -> "resume".equals(received.frame().getString("type"))).toList();
    assertEquals(1, resumes.size());
    assertEquals(List.of(2, "c-1", 3L), List.of(resumes.get(0).connection(),
        resumes.get(0).frame().getString("conversation"), resumes.get(0).frame().getLong("after")));
  }

  @Test
  void stopsWhenTheShutdownFrameSaysNotToReconnect() {
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(recorder);
    server.reply(request -> List.of());
    var unanswered = client.getRules();
    recorder.await("the request sent", () -> !server.received("get-rules").isEmpty());
    server.send(frame("shutdown").put("reconnect", false).put("retryAfter", 0));
    server.closeLatest();
    assertNull(recorder.awaitNth(ClientListener.Disconnected.class, 0).reconnectIn());
    assertEquals(SwitchboardException.DISCONNECTED, assertThrows(SwitchboardException.class, () -> await(unanswered)).code());
    assertEquals(ClientState.CLOSED, client.state());
    assertEquals(1, server.connections());
  }
}
