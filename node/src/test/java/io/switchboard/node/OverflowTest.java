package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Overflow steps on one embedded node ({@link OverflowScenario}), and policies whose overflow is refused. */
@ExtendWith(VertxExtension.class)
class OverflowTest {

  @TempDir
  Path dir;
  TestNode node;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    node = TestNode.start(vertx, dir, OverflowScenario.directory());
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  private TestClient connect(String user) {
    TestClient client = node.connect(user);
    clients.add(client);
    return client;
  }

  private OverflowScenario scenario() {
    return new OverflowScenario(this::connect, this::connect, node.admin());
  }

  @Test
  void anOpenNobodyCanTakeGoesThroughTheOtherVirtualUsersChainAndTheTraceSaysSo() {
    scenario().anOpenNobodyCanTakeGoesThroughTheOtherVirtualUsersChain();
  }

  @Test
  void anOverflowChainEndsWaitingInTheLastVirtualUsersQueue() {
    scenario().anOverflowChainEndsWaitingInTheLastVirtualUsersQueue();
  }

  @Test
  void anOpenThatWaitedTheOverflowTimeMovesToTheOtherVirtualUser() {
    scenario().anOpenThatWaitedTheOverflowTimeMovesToTheOtherVirtualUser();
  }

  @Test
  void anOverflowThatWouldComeBackInACycleOrLeadNowhereIsRefusedAndChangesNothing() {
    JsonObject before = node.admin().get("/api/v1/virtual-users/back").ok();
    JsonObject cycle = before.copy();
    cycle.getJsonObject("policy").put("chain", new JsonArray().add(new JsonObject().put("type", "least-load"))
        .add(new JsonObject().put("type", "overflow").put("to", "front")));

    String message = node.admin().put("/api/v1/virtual-users/back", cycle).error(400, "bad_request");
    assertTrue(message.contains("back → front → back"), message);

    JsonObject nowhere = cycle.copy();
    nowhere.getJsonObject("policy").getJsonArray("chain").getJsonObject(1).put("to", "ghost");
    message = node.admin().put("/api/v1/virtual-users/back", nowhere).error(400, "bad_request");
    assertTrue(message.contains("ghost"), message);

    assertEquals(before, node.admin().get("/api/v1/virtual-users/back").ok());
  }
}
