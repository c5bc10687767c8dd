package io.switchboard.client;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.client.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a real node on loopback, over WebSocket and over TCP: connecting, conversations, errors and
 * deadlines, heartbeats, and reconnecting with resume when a connection is cut, closed by the server, or hangs.
 */
class SwitchboardClientTest {

  @TempDir
  static Path dir;
  private static TestNode node;
  private static Vertx vertx;
  private static Proxy webSocketProxy;
  private static Proxy tcpProxy;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    // A heartbeat of 1 s: silent connections are closed after 2 s, so heartbeat tests are short.
    node = TestNode.start(dir, 0, 0, "--heartbeat", "PT1S");
    vertx = Vertx.vertx();
    webSocketProxy = Proxy.start(vertx, node.httpPort());
    tcpProxy = Proxy.start(vertx, node.tcpPort());
  }

  @AfterAll
  static void stopNode() {
    await(vertx.close());
    node.stop();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(client -> await(client.close()));
  }

  private SwitchboardClient client(ClientOptions options, Recorder recorder) {
    SwitchboardClient client = SwitchboardClient.create(vertx, options).addListener(recorder);
    clients.add(client);
    return client;
  }

  private SwitchboardClient connect(ClientOptions options, Recorder recorder) {
    SwitchboardClient client = client(options, recorder);
    await(client.connect());
    return client;
  }

  private SwitchboardClient connect(ClientOptions.Transport transport, String user, Recorder recorder) {
    return connect(node.options(transport, user), recorder);
  }

  /** Options through the proxy of {@code transport}, which the test can cut or freeze. */
  private static ClientOptions viaProxy(ClientOptions.Transport transport, String user) {
    return node.options(transport, proxy(transport).port(), user);
  }

  private static Proxy proxy(ClientOptions.Transport transport) {
    return transport == ClientOptions.Transport.WEBSOCKET ? webSocketProxy : tcpProxy;
  }

  /** Opens a conversation from {@code source} to {@code shop}, accepted by {@code member}; returns its id. */
  private static String openAccepted(SwitchboardClient source, SwitchboardClient member, Recorder atMember, String shop) {
    int offers = atMember.all(ServerFrame.Offer.class).size();
    var opened = source.open(shop);
    ServerFrame.Offer offer = atMember.awaitNth(ServerFrame.Offer.class, offers);
    await(member.accept(offer.conversation()));
    assertEquals(offer.conversation(), await(opened).conversation());
    return offer.conversation();
  }

  private static List<String> bodies(Recorder recorder) {
    return recorder.all(ServerFrame.Message.class).stream().map(ServerFrame.Message::body).toList();
  }

  private static SwitchboardException failure(io.vertx.core.Future<?> request) {
    return assertThrows(SwitchboardException.class, () -> await(request));
  }

  // --- connecting

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void authenticatesAndReportsReady(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(transport, cast.source(), recorder);
    ClientListener.Ready ready = recorder.awaitNth(ClientListener.Ready.class, 0);
    assertEquals(cast.source(), ready.user());
    assertFalse(ready.reconnected());
    assertTrue(ready.node().startsWith("node-"), ready.node());
    assertEquals(cast.source(), client.user());
    assertEquals(ClientState.READY, client.state());
    assertEquals(List.of(ClientState.CONNECTING, ClientState.READY), recorder.all(ClientState.class));
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void stopsOnARefusedTokenWithoutRetrying(ClientOptions.Transport transport) {
    Recorder recorder = new Recorder();
    SwitchboardClient client = client(node.options(transport, TestNode.cast().source()).setToken("not.a.token"), recorder);
    SwitchboardException refused = failure(client.connect());
    assertEquals("unauthenticated", refused.code());
    assertFalse(refused.getMessage().isEmpty());
    assertEquals(ClientState.CLOSED, client.state());
    assertEquals(List.of(ClientState.CONNECTING, ClientState.CLOSED), recorder.all(ClientState.class));
    assertEquals(SwitchboardException.CLOSED, failure(client.send("c-1", "hello")).code());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void keepsTryingWhileTheNodeCannotBeReachedWithGrowingDelays(ClientOptions.Transport transport) throws Exception {
    int nothing;
    try (ServerSocket free = new ServerSocket(0)) {
      nothing = free.getLocalPort();
    }
    Recorder recorder = new Recorder();
    SwitchboardClient client = client(node.options(transport, nothing, TestNode.cast().source())
        .setBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 2)), recorder);
    var connecting = client.connect();
    recorder.awaitNth(ClientListener.Disconnected.class, 4);
    await(client.close());
    assertEquals(SwitchboardException.CLOSED, failure(connecting).code());
    List<ClientListener.Disconnected> failed = recorder.all(ClientListener.Disconnected.class);
    long[] ceilings = {50, 100, 200, 400, 400};
    for (int attempt = 0; attempt < ceilings.length; attempt++) {
      long delay = failed.get(attempt).reconnectIn();
      assertTrue(delay >= ceilings[attempt] / 2 && delay <= ceilings[attempt], "attempt " + attempt + ": " + delay + " ms");
    }
  }

  // --- conversations

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void opensAndCarriesMessagesBothWaysWithSeq(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    Recorder atSource = new Recorder();
    SwitchboardClient member = connect(transport, cast.member(), atMember);
    SwitchboardClient source = connect(transport, cast.source(), atSource);
    var opening = source.open(cast.shop(), new OpenOptions().setContext(new JsonObject().put("attributes", new JsonObject().put("level", 2))));
    ServerFrame.Offer offer = atMember.awaitNth(ServerFrame.Offer.class, 0);
    assertEquals(cast.source(), offer.from());
    assertEquals(cast.shop(), offer.to());
    assertTrue(offer.expires() > System.currentTimeMillis());
    assertNull(offer.transfer());
    await(member.accept(offer.conversation()));
    ServerFrame.Opened opened = await(opening);
    assertEquals(offer.conversation(), opened.conversation());
    assertEquals(cast.shop(), opened.to());
    assertNull(opened.agent());

    assertEquals(1, await(source.send(opened.conversation(), "hello")).seq());
    ServerFrame.Message first = atMember.awaitNth(ServerFrame.Message.class, 0);
    assertEquals(List.of(cast.source(), 1L, "hello", "popup"), List.of(first.from(), first.seq(), first.body(), first.notifyLevel()));
    assertEquals(2, await(member.send(opened.conversation(), "how can I help?")).seq());
    ServerFrame.Message second = atSource.awaitNth(ServerFrame.Message.class, 0);
    // The source sees the virtual user, not the member.
    assertEquals(List.of(cast.shop(), 2L, "how can I help?"), List.of(second.from(), second.seq(), second.body()));

    await(source.closeConversation(opened.conversation()));
    ServerFrame.Closed closed = atMember.awaitNth(ServerFrame.Closed.class, 0);
    assertEquals(cast.source(), closed.by());
    assertEquals("closed", closed.reason());
    assertEquals("gone", failure(source.send(opened.conversation(), "too late")).code());
    assertEquals(Map.of(), member.conversations());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void failsRefusedRequestsWithTheServersCodeAndMessage(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    SwitchboardException notFound = failure(source.open("nobody"));
    assertEquals("not_found", notFound.code());
    assertTrue(notFound.getMessage().contains("nobody"), notFound.getMessage());
    assertEquals("forbidden", failure(source.open(cast.source())).code());
    assertEquals("gone", failure(source.accept("c-none")).code());
    assertEquals("not_found", failure(source.send("c-none", "hi")).code());
    // The connection is kept after refused requests.
    assertEquals(ClientState.READY, source.state());
    await(source.setStatus("busy", null));
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void givesUpARequestAtItsDeadline(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    connect(transport, cast.member(), new Recorder());
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    long started = System.nanoTime();
    // The member gets the offer but does not answer within the open's deadline.
    SwitchboardException expired = failure(source.open(cast.shop(), new OpenOptions().setTimeout(Duration.ofMillis(300))));
    assertEquals(SwitchboardException.DEADLINE_EXCEEDED, expired.code());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 290);
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void seesAnUnansweredOfferWithdrawn(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    connect(transport, cast.member(), atMember);
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    var opening = source.open(cast.shop());
    ServerFrame.Offer offer = atMember.awaitNth(ServerFrame.Offer.class, 0);
    ServerFrame.OfferWithdrawn withdrawn = atMember.awaitNth(ServerFrame.OfferWithdrawn.class, 0);
    assertEquals(offer.conversation(), withdrawn.conversation());
    assertEquals("timeout", withdrawn.reason());
    assertTrue(List.of("timeout", "unavailable").contains(failure(opening).code()));
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void reportsPresenceOfWatchedUsersOncePerChange(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atWatcher = new Recorder();
    SwitchboardClient watcher = connect(transport, cast.source(), atWatcher);
    await(watcher.watch(List.of(cast.other())));
    atWatcher.await("offline", () -> "offline".equals(watcher.presenceOf(cast.other())));
    SwitchboardClient other = connect(transport, cast.other(), new Recorder());
    atWatcher.await("online", () -> "online".equals(watcher.presenceOf(cast.other())));
    await(other.setStatus("away", "lunch"));
    atWatcher.await("away", () -> "away".equals(watcher.presenceOf(cast.other())));
    assertEquals(List.of("offline", "online", "away"),
        atWatcher.all(ServerFrame.Presence.class).stream().map(ServerFrame.Presence::status).toList());
  }

  // --- heartbeats

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void keepsAnIdleConnectionOpenPastTwiceTheHeartbeat(ClientOptions.Transport transport) {
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(transport, TestNode.cast().source(), recorder);
    String session = client.session();
    // The heartbeat is 1 s: the node closes a connection silent for 2 s. Wait for three pongs (> 3 s).
    recorder.awaitNth(ServerFrame.Pong.class, 2);
    assertEquals(List.of(), recorder.all(ClientListener.Disconnected.class));
    assertEquals(session, client.session());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void givesUpAConnectionThatHangsAndComesBackWhenItAnswers(ClientOptions.Transport transport) {
    Recorder recorder = new Recorder();
    SwitchboardClient client = connect(viaProxy(transport, TestNode.cast().source())
        .setConnectTimeout(Duration.ofSeconds(1)), recorder);
    String session = client.session();
    proxy(transport).freeze();
    try {
      // Heartbeat 1 s: after two silent heartbeats the client gives the connection up.
      ClientListener.Disconnected lost = recorder.awaitNth(ClientListener.Disconnected.class, 0);
      assertEquals(SwitchboardClient.ABNORMAL_CLOSE, lost.code());
      assertTrue(lost.reason().startsWith("nothing heard"), lost.reason());
      // Attempts meanwhile find no ready within the connect timeout.
      recorder.await("an attempt without ready", () -> recorder.all(ClientListener.Disconnected.class).stream()
          .anyMatch(event -> event.reason().startsWith("not ready")));
    } finally {
      proxy(transport).thaw();
    }
    recorder.awaitNth(ClientListener.Ready.class, 1);
    assertNotEquals(session, client.session());
  }

  // --- reconnecting

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void resumesAfterTheConnectionIsCutEachMessageOnceInOrder(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    SwitchboardClient member = connect(viaProxy(transport, cast.member()), atMember);
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    String conversation = openAccepted(source, member, atMember, cast.shop());
    await(source.send(conversation, "one"));
    atMember.awaitNth(ServerFrame.Message.class, 0);

    proxy(transport).cut();
    ClientListener.Disconnected lost = atMember.awaitNth(ClientListener.Disconnected.class, 0);
    assertTrue(lost.reconnectIn() <= 100, lost.reconnectIn() + " ms");
    // Sent while the member may be away: delivered from its mailbox, by resume, or live, whichever comes first.
    for (String body : List.of("two", "three", "four")) {
      await(source.send(conversation, body));
    }
    assertTrue(atMember.awaitNth(ClientListener.Ready.class, 1).reconnected());
    await(source.send(conversation, "five"));
    atMember.awaitNth(ServerFrame.Message.class, 4);
    assertEquals(List.of("one", "two", "three", "four", "five"), bodies(atMember));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), atMember.all(ServerFrame.Message.class).stream().map(ServerFrame.Message::seq).toList());
    assertEquals(Map.of(conversation, 5L), member.conversations());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void reconnectsWhenTheServerClosesTheConnectionAndCarriesOn(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    SwitchboardClient member = connect(transport, cast.member(), atMember);
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    String conversation = openAccepted(source, member, atMember, cast.shop());
    // A frame over the node's 64 KiB limit: the node answers too_large and closes the connection.
    assertEquals(SwitchboardException.DISCONNECTED, failure(member.send(conversation, "x".repeat(70_000))).code());
    ClientListener.Disconnected lost = atMember.awaitNth(ClientListener.Disconnected.class, 0);
    assertEquals(transport == ClientOptions.Transport.WEBSOCKET ? 1009 : 0, lost.code());
    assertEquals(List.of("too_large"), atMember.all(SwitchboardException.class).stream().map(SwitchboardException::code).toList());
    await(source.send(conversation, "still there?"));
    atMember.awaitNth(ClientListener.Ready.class, 1);
    long seq = await(member.send(conversation, "yes")).seq();
    ServerFrame.Message message = atMember.awaitNth(ServerFrame.Message.class, 0);
    assertEquals("still there?", message.body());
    assertEquals(message.seq() + 1, seq);
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void sendsRequestsMadeWhileDisconnectedOnceConnectedAgain(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    Recorder atSource = new Recorder();
    SwitchboardClient member = connect(viaProxy(transport, cast.member()), atMember);
    SwitchboardClient source = connect(transport, cast.source(), atSource);
    String conversation = openAccepted(source, member, atMember, cast.shop());
    proxy(transport).cut();
    atMember.awaitNth(ClientListener.Disconnected.class, 0);
    assertNotEquals(ClientState.READY, member.state());
    assertEquals(conversation, await(member.send(conversation, "sent while away")).conversation());
    assertEquals("sent while away", atSource.awaitNth(ServerFrame.Message.class, 0).body());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void restoresStatusAndWatchesWithoutRepeatingUnchangedPresence(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atWatcher = new Recorder();
    Recorder atOther = new Recorder();
    SwitchboardClient watcher = connect(viaProxy(transport, cast.source()), atWatcher);
    SwitchboardClient other = connect(transport, cast.other(), atOther);
    await(watcher.setStatus("busy", null));
    await(watcher.watch(List.of(cast.member())));
    atWatcher.await("the member offline", () -> "offline".equals(watcher.presenceOf(cast.member())));
    await(other.watch(List.of(cast.source())));
    atOther.await("the watcher busy", () -> "busy".equals(other.presenceOf(cast.source())));

    proxy(transport).cut();
    atWatcher.awaitNth(ClientListener.Ready.class, 1);
    // The watcher went offline, and came back busy as it had set (not online, as a new session starts).
    atOther.await("the watcher offline, then busy again", () -> {
      List<String> seen = atOther.all(ServerFrame.Presence.class).stream().map(ServerFrame.Presence::status).toList();
      return seen.contains("offline") && seen.get(seen.size() - 1).equals("busy");
    });
    // The member's presence was sent again on the renewed watch, unchanged: not reported twice. A change is.
    connect(transport, cast.member(), new Recorder());
    atWatcher.await("the member online", () -> "online".equals(watcher.presenceOf(cast.member())));
    assertEquals(List.of("offline", "online"),
        atWatcher.all(ServerFrame.Presence.class).stream().map(ServerFrame.Presence::status).toList());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void doesNotRepeatMessagesAnExplicitResumeSendsAgain(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    SwitchboardClient member = connect(transport, cast.member(), atMember);
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    String conversation = openAccepted(source, member, atMember, cast.shop());
    await(source.send(conversation, "a"));
    await(source.send(conversation, "b"));
    atMember.awaitNth(ServerFrame.Message.class, 1);
    await(member.resume(conversation, 0L));
    await(source.send(conversation, "c"));
    atMember.awaitNth(ServerFrame.Message.class, 2);
    assertEquals(List.of("a", "b", "c"), bodies(atMember));
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void learnsOfAConversationClosedWhileItWasAway(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atMember = new Recorder();
    SwitchboardClient member = connect(viaProxy(transport, cast.member()), atMember);
    SwitchboardClient source = connect(transport, cast.source(), new Recorder());
    String conversation = openAccepted(source, member, atMember, cast.shop());
    proxy(transport).cut();
    atMember.awaitNth(ClientListener.Disconnected.class, 0);
    // The source closes while the member is away: the member learns it from its resume (gone), or from the closed
    // frame if it was back first.
    await(source.closeConversation(conversation));
    atMember.await("the member to learn of the close", () -> !atMember.all(Recorder.ResumeFailed.class).isEmpty()
        || !atMember.all(ServerFrame.Closed.class).isEmpty());
    List<Recorder.ResumeFailed> failed = atMember.all(Recorder.ResumeFailed.class);
    if (!failed.isEmpty()) {
      assertEquals(conversation, failed.get(0).conversation());
      assertEquals("gone", failed.get(0).error().code());
    } else {
      assertEquals(conversation, atMember.all(ServerFrame.Closed.class).get(0).conversation());
    }
    atMember.await("the conversation forgotten", () -> member.conversations().isEmpty());
  }
}
