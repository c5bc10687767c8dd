package io.switchboard.node;

import io.switchboard.contract.Version;
import io.switchboard.store.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's command line as an operator meets it: help, version, the token command, and errors that name the cause. */
class NodeCommandLineTest {

  /** What a run of the node's main class printed and how it exited. */
  record Outcome(int exit, String output) {
  }

  static Outcome run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SwitchboardNode.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended");
    return new Outcome(process.exitValue(), output);
  }

  @Test
  void helpListsEveryOptionTheTokenCommandAndTheEnvironment() throws Exception {
    Outcome help = run(Map.of(), "--help");
    assertEquals(0, help.exit(), help.output());
    NodeOptions.HELP.keySet().forEach(name -> assertTrue(help.output().contains("--" + name), name));
    assertTrue(help.output().contains("token"), help.output());
    assertTrue(help.output().contains("--version"), help.output());
    assertTrue(help.output().contains("SWITCHBOARD_HTTP_PORT"), help.output());
  }

  @Test
  void helpAnywhereOnTheLineWinsEvenOverAMistake() {
    for (String[] args : new String[][] {{"--http-port", "8081", "--help"}, {"--colour", "red", "-h"},
        {"--http-port", "nonsense", "--help"}}) {
      NodeCommandLine.Command command = NodeCommandLine.parse(args, Map.of());
      assertTrue(assertInstanceOf(NodeCommandLine.Print.class, command).text().contains("--http-port"), List.of(args).toString());
    }
    for (String[] args : new String[][] {{"token", "abc", "--help"}, {"--help", "token"}}) {
      String tokenHelp = assertInstanceOf(NodeCommandLine.Print.class, NodeCommandLine.parse(args, Map.of())).text();
      assertTrue(tokenHelp.contains("USER") && tokenHelp.contains("--admin"), tokenHelp);
      assertFalse(tokenHelp.contains("--tcp-port"), tokenHelp);
    }
  }

  @Test
  void versionIsTheBuildsVersion() throws Exception {
    Outcome version = run(Map.of(), "--version");
    assertEquals(0, version.exit(), version.output());
    assertEquals("switchboard/" + Version.NUMBER, version.output().strip());
    assertFalse(Version.NUMBER.contains("${"), Version.NUMBER);
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() throws Exception {
    Outcome outcome = run(Map.of("SWITCHBOARD_HTTP_PORT", "eighty"));
    assertEquals(2, outcome.exit(), outcome.output());
    assertTrue(outcome.output().contains("SWITCHBOARD_HTTP_PORT") && outcome.output().contains("--http-port"),
        outcome.output());
    assertFalse(outcome.output().contains("\tat "), "no stack trace: " + outcome.output());
  }

  @Test
  void theTokenCommandSignsWithTheSecretFromTheEnvironment() throws Exception {
    Outcome token = run(Map.of("SWITCHBOARD_JWT_SECRET", TestNode.SECRET), "token", "abc", "--admin");
    assertEquals(0, token.exit(), token.output());
    assertEquals(3, token.output().strip().split("\\.").length, token.output());
    Outcome noSecret = run(Map.of(), "token", "abc");
    assertEquals(2, noSecret.exit(), noSecret.output());
    assertTrue(noSecret.output().contains("SWITCHBOARD_JWT_SECRET"), noSecret.output());
  }

  @Test
  void badOptionsExitWith2NamingTheOptionWithoutAStackTrace(@TempDir Path dir) throws Exception {
    Path notJson = Files.writeString(dir.resolve("directory.json"), "{\"users\":");
    String[][] refused = {
        {"--redis", "--redis", "localhost:6379"},
        {"--directory", "--directory", dir.resolve("missing.json").toString()},
        {"--directory", "--host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0", "--directory", notJson.toString()},
        {"--redis-cluster", "--redis-cluster", "localhost:7000,:"},
        {"--redis redis://127.0.0.1:", "--http-port", "0", "--tcp-port", "0", "--redis", "redis://127.0.0.1:" + NodeProcess.freePort()},
        {"--jwks-url", "--http-port", "0", "--tcp-port", "0", "--jwks-url", "http://127.0.0.1:" + NodeProcess.freePort() + "/keys"},
        {"--cluster-host", "--cluster", "--redis", "redis://127.0.0.1:1", "--jwt-secret", "s", "--cluster-host", "no.such.host.invalid"}};
    for (String[] option : refused) {
      Outcome outcome = run(Map.of(), List.of(option).subList(1, option.length).toArray(String[]::new));
      assertEquals(2, outcome.exit(), outcome.output());
      assertTrue(outcome.output().contains("switchboard: " + option[0]), outcome.output());
      assertFalse(outcome.output().contains("\tat "), "no stack trace: " + outcome.output());
    }
  }

  @Test
  void aPortInUseIsNamedWithItsOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());
      String free = String.valueOf(NodeProcess.freePort());
      for (String[] ports : new String[][] {{"--http-port", port, "--tcp-port", free}, {"--tcp-port", port, "--http-port", free}}) {
        Outcome outcome = run(Map.of(), "--host", "127.0.0.1", ports[0], ports[1], ports[2], ports[3]);
        assertEquals(2, outcome.exit(), outcome.output());
        assertTrue(outcome.output().contains("switchboard: " + ports[0] + " " + port), outcome.output());
        assertFalse(outcome.output().contains("\tat "), "no stack trace: " + outcome.output());
      }
    }
  }

  /** A node on a shared store without --jwt-secret signs with a secret nobody else knows: it says what to do. */
  @Test
  void aSharedStoreWithoutASecretSaysHowToGetTokens(@TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.builder().build().start();
         NodeProcess node = NodeProcess.startUnsigned("unsigned", dir, List.of("--redis", redis.uri()))) {
      String log = Files.readString(node.log);
      assertTrue(log.contains("--jwt-secret") && log.contains("token USER --jwt-secret"), log);
    }
  }
}
