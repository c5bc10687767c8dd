package io.switchboard.client;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.client.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A transfer between two clients of the library against a real node: the member that accepts it reads the
 * conversation so far (the client resumes it from 0) and carries it on; the source is told where it went.
 */
class ClientTransferTest {

  @TempDir
  static Path dir;
  private static TestNode node;
  private static Vertx vertx;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    node = TestNode.start(dir, 0, 0);
    vertx = Vertx.vertx();
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

  private SwitchboardClient connect(ClientOptions.Transport transport, String user, Recorder recorder) {
    SwitchboardClient client = SwitchboardClient.create(vertx, node.options(transport, user)).addListener(recorder);
    clients.add(client);
    await(client.connect());
    return client;
  }

  @ParameterizedTest
  @EnumSource(ClientOptions.Transport.class)
  void theMemberAConversationIsHandedToReadsItSoFarAndCarriesItOn(ClientOptions.Transport transport) {
    TestNode.Cast cast = TestNode.cast();
    Recorder atSource = new Recorder();
    Recorder atMember = new Recorder();
    Recorder atTaker = new Recorder();
    SwitchboardClient source = connect(transport, cast.source(), atSource);
    SwitchboardClient member = connect(transport, cast.member(), atMember);
    // the other user of the cast takes the conversation, named directly
    SwitchboardClient taker = connect(transport, cast.other(), atTaker);
    var opening = source.open(cast.shop());
    String conversation = atMember.awaitNth(ServerFrame.Offer.class, 0).conversation();
    await(member.accept(conversation));
    await(opening);
    await(source.send(conversation, "hello"));
    atMember.awaitNth(ServerFrame.Message.class, 0);
    await(member.send(conversation, "one moment"));
    atSource.awaitNth(ServerFrame.Message.class, 0);

    var transferring = member.transfer(conversation, cast.other(), "speaks German");
    ServerFrame.Offer offer = atTaker.awaitNth(ServerFrame.Offer.class, 0);
    assertEquals(new ServerFrame.TransferInfo(cast.member(), "speaks German"), offer.transfer());
    await(taker.accept(conversation));
    await(transferring);
    assertEquals("transferred", atMember.awaitNth(ServerFrame.Closed.class, 0).reason());
    // the shop does not reveal its agent: the source is told it still talks with the shop
    assertEquals(new ServerFrame.Transferred(conversation, cast.shop(), null),
        atSource.awaitNth(ServerFrame.Transferred.class, 0));

    // the library resumed the conversation from 0 on accepting the transfer
    atTaker.awaitNth(ServerFrame.Message.class, 1);
    assertEquals(List.of(List.of(cast.source(), 1L, "hello"), List.of(cast.member(), 2L, "one moment")),
        atTaker.all(ServerFrame.Message.class).stream()
            .map(message -> List.<Object>of(message.from(), message.seq(), message.body())).toList());
    assertEquals(3, await(source.send(conversation, "danke")).seq());
    assertEquals("danke", atTaker.awaitNth(ServerFrame.Message.class, 2).body());
  }
}
