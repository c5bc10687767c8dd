package io.switchboard.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeOptionsTest {

  private static NodeOptions parse(Map<String, String> env, String... args) {
    return NodeOptions.parse(args, env);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    NodeOptions options = parse(Map.of());
    assertEquals(8080, options.httpPort());
    assertEquals(7070, options.tcpPort());
    assertEquals(Duration.ofSeconds(30), options.heartbeat());
    assertEquals(65_536, options.maxFrameBytes());
    assertNull(options.directory());
    assertNull(options.jwtSecret());
  }

  @Test
  void theEnvironmentSetsOptionsAndTheCommandLineWins() {
    Map<String, String> env = Map.of("SWITCHBOARD_HTTP_PORT", "9000", "SWITCHBOARD_TCP_PORT", "9001",
        "SWITCHBOARD_JWT_SECRET", "from-env");
    NodeOptions options = parse(env, "--tcp-port", "9100", "--heartbeat=PT5S");
    assertEquals(9000, options.httpPort());
    assertEquals(9100, options.tcpPort());
    assertEquals("from-env", options.jwtSecret());
    assertEquals(Duration.ofSeconds(5), options.heartbeat());
  }

  @Test
  void aBadValueNamesTheOption() {
    assertTrue(assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(), "--http-port", "70000"))
        .getMessage().startsWith("--http-port"));
    assertTrue(assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(), "--heartbeat", "30"))
        .getMessage().startsWith("--heartbeat"));
    assertTrue(assertThrows(NodeOptions.InvalidOptionException.class,
        () -> parse(Map.of("SWITCHBOARD_RATE_LIMIT", "0"))).getMessage().startsWith("--rate-limit"));
    assertTrue(assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(), "--colour", "red"))
        .getMessage().contains("unknown option --colour"));
    assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(), "--tcp-port"));
  }

  @Test
  void usageListsEveryOption() {
    String usage = NodeOptions.usage();
    NodeOptions.HELP.keySet().forEach(name -> assertTrue(usage.contains("--" + name), name));
  }
}
