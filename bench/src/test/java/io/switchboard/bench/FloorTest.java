package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The floor relays what the relay scenario sends, so that the two can be measured against each other. */
class FloorTest {

  private static Vertx floorVertx;
  private static Vertx benchVertx;
  private static JsonObject floor;

  @BeforeAll
  static void start() throws Exception {
    floorVertx = Vertx.vertx();
    benchVertx = Vertx.vertx();
    floor = FloorCommand.start(floorVertx, Options.of(Map.of("http-port", "0", "tcp-port", "0", "instances", "1")))
        .await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    benchVertx.close().await(10, TimeUnit.SECONDS);
    floorVertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws", "tcp"})
  void relaysEveryMessageOnceAndInOrder(String transport) throws Exception {
    JsonObject result = Bench.run(benchVertx, "relay", Options.of(Map.of("url", floor.getString("ws"),
        "tcp", floor.getString("tcp"), "secret", "unchecked-by-the-floor-0123456789abcdef", "transport", transport,
        "duration", "1s", "conversations", "4", "sources", "2", "virtual-users", "2", "members", "2")))
        .await(30, TimeUnit.SECONDS);

    assertTrue(result.getLong("messages") > 0, result::encodePrettily);
    assertEquals(0, result.getLong("lost") + result.getLong("duplicated") + result.getLong("outOfOrder"),
        result::encodePrettily);
    assertTrue(result.getBoolean("ok"), result::encodePrettily);
  }
}
