package io.switchboard.client;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.client.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client when its node is stopped on purpose (as on SIGTERM) and another is started on the same ports. The node
 * keeps its state in a real Redis, so the new node carries the conversations on and the clients resume them.
 */
class NodeRestartTest {

  @TempDir
  Path dir;
  private RedisServer redis;
  private TestNode node;
  private Vertx vertx;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.builder().build().start();
    node = TestNode.start(dir, 0, 0, "--redis", redis.uri());
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    clients.forEach(client -> await(client.close()));
    await(vertx.close());
    node.stop();
    redis.close();
  }

  private SwitchboardClient connect(ClientOptions options, Recorder recorder) {
    SwitchboardClient client = SwitchboardClient.create(vertx, options).addListener(recorder);
    clients.add(client);
    await(client.connect());
    return client;
  }

  private void restart() {
    int httpPort = node.httpPort();
    int tcpPort = node.tcpPort();
    node.stop();
    node = TestNode.start(dir, httpPort, tcpPort, "--redis", redis.uri());
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void reconnectsWhenItsNodeStopsBacksOffAndResumesOnTheNodeStartedAgain(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 2);
    Recorder atMember = new Recorder();
    SwitchboardClient member = connect(node.options(transport, cast.member()).setBackoff(backoff), atMember);
    SwitchboardClient source = connect(node.options(transport, cast.source()).setBackoff(backoff), new Recorder());
    var opening = source.open(cast.shop());
    await(member.accept(atMember.awaitNth(ServerFrame.Offer.class, 0).conversation()));
    String conversation = await(opening).conversation();
    await(source.send(conversation, "before"));
    atMember.awaitNth(ServerFrame.Message.class, 0);

    int httpPort = node.httpPort();
    int tcpPort = node.tcpPort();
    node.stop();
    // Attempts against the stopped node fail; their delays follow the backoff: 100 ms doubling, at most 400 ms,
    // each with up to half of it as jitter. (A shutdown frame's own delay comes first, when one was received.)
    atMember.awaitNth(ClientListener.Disconnected.class, 4);
    int told = atMember.all(ServerFrame.Shutdown.class).size();
    List<ClientListener.Disconnected> lost = atMember.all(ClientListener.Disconnected.class);
    for (int attempt = 0; attempt < 3; attempt++) {
      long ceiling = Math.min(400, 100L << attempt);
      long delay = lost.get(told + attempt).reconnectIn();
      assertTrue(delay >= ceiling / 2 && delay <= ceiling, "attempt " + attempt + ": " + delay + " ms");
    }
    // A request made meanwhile waits for the connection.
    var whileDown = source.send(conversation, "while down");

    node = TestNode.start(dir, httpPort, tcpPort, "--redis", redis.uri());
    assertTrue(atMember.awaitNth(ClientListener.Ready.class, 1).reconnected());
    assertEquals(2, await(whileDown).seq());
    await(source.send(conversation, "after"));
    atMember.awaitNth(ServerFrame.Message.class, 2);
    assertEquals(List.of(List.of(1L, "before"), List.of(2L, "while down"), List.of(3L, "after")),
        atMember.all(ServerFrame.Message.class).stream().map(message -> List.<Object>of(message.seq(), message.body())).toList());
  }

  /**
   * The shutdown frame delays the reconnect by its retryAfter. Over TCP: the node's planned stop closes WebSocket
   * connections before their shutdown frame goes out (close code 1000, no frame), so a WebSocket client sees a
   * plain close; the client's handling of the frame is the same on both transports.
   */
  @Test
  void waitsTheRetryAfterOfAShutdownFrame() {
    Recorder recorder = new Recorder();
    connect(node.options(ClientOptions.Transport.TCP, TestNode.cast().source())
        .setBackoff(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 2)), recorder);
    restart();
    ServerFrame.Shutdown shutdown = recorder.awaitNth(ServerFrame.Shutdown.class, 0);
    assertTrue(shutdown.reconnect());
    assertEquals(1000, shutdown.retryAfter());
    long delay = recorder.awaitNth(ClientListener.Disconnected.class, 0).reconnectIn();
    assertTrue(delay >= 1000 && delay <= 2000, delay + " ms");
    assertTrue(recorder.awaitNth(ClientListener.Ready.class, 1).reconnected());
    List<Recorder.Heard> heard = recorder.heard();
    long waiting = heard.stream().filter(event -> event.event() == ClientState.WAITING).findFirst().orElseThrow().at();
    long attempt = heard.stream().filter(event -> event.event() == ClientState.CONNECTING && event.at() > waiting)
        .findFirst().orElseThrow().at();
    assertTrue(attempt - waiting >= 990, "first attempt after " + (attempt - waiting) + " ms");
  }
}
