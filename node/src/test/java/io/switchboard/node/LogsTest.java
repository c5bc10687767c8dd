package io.switchboard.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node process's log as an operator reads it: dated lines or JSON, and admin changes signed by the token's sub. */
@ExtendWith(VertxExtension.class)
class LogsTest {

  private static final Pattern DATED = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z .*");

  @TempDir
  Path dir;
  private NodeProcess node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyTextLineCarriesTheDateAndAnAdminChangeWhoMadeIt(Vertx vertx) throws Exception {
    node = NodeProcess.start("logs-text", dir, List.of());
    assertEquals(200, node.admin(vertx).put("/api/v1/users/anna", new JsonObject().put("name", "Anna")).status());
    String change = awaitLine(line -> line.contains("admin change PUT /api/v1/users/anna by ops"));
    assertTrue(change.contains("admin=ops") && change.contains("user=anna"), change);
    for (String line : Files.readAllLines(node.log)) {
      assertTrue(DATED.matcher(line).matches(), "dated: " + line);
    }
  }

  @Test
  void jsonLogsAreOneObjectALineWithTheIdsInTheMdc(Vertx vertx) throws Exception {
    node = NodeProcess.start("logs-json", dir, List.of("--log-format", "json"));
    assertEquals(200, node.admin(vertx).put("/api/v1/users/anna", new JsonObject().put("name", "Anna")).status());
    // JSON escapes the slashes of the path: the line is matched once decoded.
    JsonObject change = new JsonObject(awaitLine(line -> new JsonObject(line).getString("formattedMessage")
        .equals("admin change PUT /api/v1/users/anna by ops")));
    assertEquals("INFO", change.getString("level"));
    assertEquals("ops", change.getJsonObject("mdc").getString("admin"));
    assertEquals("anna", change.getJsonObject("mdc").getString("user"));
    for (String line : Files.readAllLines(node.log)) {
      JsonObject json = new JsonObject(line);
      assertTrue(json.getLong("timestamp") > 0, line);
    }
  }

  private String awaitLine(Predicate<String> match) throws Exception {
    for (long deadline = System.nanoTime() + TestClient.WAIT.toNanos(); System.nanoTime() < deadline; ) {
      Optional<String> found = Files.readAllLines(node.log).stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      TimeUnit.MILLISECONDS.sleep(20); // the node's output reaches its log through a pipe thread
    }
    throw new AssertionError("no such line in " + Files.readString(node.log));
  }
}
