package io.switchboard.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        .getMessage().contains("--colour"));
    assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(), "--tcp-port"));
  }

  @Test
  void valuesOutOfTheirRangeAreRefusedNamingTheOption() {
    String[][] refused = {
        {"--max-frame-bytes", "600000000"}, {"--max-frame-bytes", "99999999999"}, {"--gateway-instances", "100000"},
        {"--heartbeat", "PT0.01S"}, {"--heartbeat", "P1D"}, {"--lease", "PT1H"}, {"--disconnect-grace", "P2D"},
        {"--offer-timeout", "PT2H"}, {"--open-timeout", "P2D"}, {"--rate-limit", "2000000"},
        {"--decisions-kept", "100000"}, {"--max-outbound-bytes", "1024"}, {"--max-token-lifetime", "P365D"},
        {"--auth-timeout", "PT1H"}, {"--request-timeout", "PT0S"}};
    for (String[] option : refused) {
      String message = assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(), option)).getMessage();
      assertTrue(message.startsWith(option[0] + ":"), message);
    }
    String tooSmall = assertThrows(NodeOptions.InvalidOptionException.class, () -> parse(Map.of(),
        "--max-frame-bytes", "1048576", "--max-outbound-bytes", "1048576")).getMessage();
    assertTrue(tooSmall.contains("--max-outbound-bytes") && tooSmall.contains("--max-frame-bytes"), tooSmall);
  }

  @Test
  void theHardeningOptionsHaveTheirDocumentedDefaults() {
    NodeOptions options = parse(Map.of());
    assertEquals(4 << 20, options.maxOutboundBytes());
    assertEquals(Duration.ofHours(24), options.maxTokenLifetime());
    assertEquals(Duration.ofSeconds(10), options.authTimeout());
    assertEquals(Duration.ofSeconds(10), options.requestTimeout());
    assertFalse(options.webSocketCompression());
    assertTrue(parse(Map.of(), "--websocket-compression").webSocketCompression());
  }

  /** What an operator sees: the real main class in a process of its own exits with 2 and names the option. */
  @Test
  void theNodeProcessExitsWith2OnAnOptionOutOfRange() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SwitchboardNode.class.getName(),
        "--max-frame-bytes", "600000000").redirectErrorStream(true).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("--max-frame-bytes"), output);
  }

  @Test
  void tlsAndKeyOptionsAreCheckedNamingTheOption(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-key.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    String[][] refused = {
        {"--tls-cert", "--tls-cert", file.toString()},
        {"--tls-key", "--tls-key", dir.resolve("missing.pem").toString()},
        {"--jwt-public-keys", "--jwt-public-keys", file.toString()},
        {"--admin-jwt-public-keys", "--admin-jwt-public-keys", file.toString()},
        {"--jwks-url", "--jwks-url", "ftp://issuer/keys"},
        {"--redis-ca", "--redis", "redis://127.0.0.1:6390", "--redis-ca", file.toString()},
        {"--admin-port", "--admin-port", "65536"},
        {"--cluster-bus-port", "--cluster-bus-port", "-1"}};
    for (String[] option : refused) {
      String message = assertThrows(NodeOptions.InvalidOptionException.class,
          () -> parse(Map.of(), Arrays.copyOfRange(option, 1, option.length))).getMessage();
      assertTrue(message.contains(option[0]), message);
    }
    NodeOptions plain = parse(Map.of());
    assertNull(plain.security().tls());
    assertNull(plain.security().adminPort());
    assertEquals(0, plain.clusterBusPort());
  }

  @Test
  void usageListsEveryOption() {
    String usage = NodeOptions.usage();
    NodeOptions.HELP.keySet().forEach(name -> assertTrue(usage.contains("--" + name), name));
  }
}
