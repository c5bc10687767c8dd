package io.switchboard.bench;

import io.switchboard.contract.Version;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's command line in a process of its own, as someone running it meets it. */
class BenchCommandLineTest {

  private record Outcome(int exit, String output) {
  }

  private static Outcome run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Bench.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended");
    return new Outcome(process.exitValue(), output);
  }

  @Test
  void helpListsEveryCommand() throws Exception {
    Outcome help = run("--help");
    assertEquals(0, help.exit(), help.output());
    for (String command : List.of("directory", "setup", "relay", "idle", "ceiling", "floor", "jmh")) {
      assertTrue(help.output().contains(command), command + " in " + help.output());
    }
  }

  @Test
  void helpAroundACommandListsItsOptionsEvenPastAMistake() throws Exception {
    for (String[] args : new String[][] {{"relay", "--sorces", "3", "--help"}, {"--help", "relay"}}) {
      Outcome help = run(args);
      assertEquals(0, help.exit(), help.output());
      RelayScenario.OPTIONS.keySet().forEach(name -> assertTrue(help.output().contains("--" + name), name));
    }
  }

  @Test
  void versionAndMistakesNamingTheOption() throws Exception {
    Outcome version = run("--version");
    assertEquals(0, version.exit(), version.output());
    assertEquals("switchboard-bench/" + Version.NUMBER, version.output().strip());
    Outcome unknown = run("floor", "--sorces", "3");
    assertEquals(2, unknown.exit(), unknown.output());
    assertTrue(unknown.output().contains("--sorces"), unknown.output());
  }

  @Test
  void theDirectoryCommandStillReadsItsOptions() throws Exception {
    Outcome directory = run("directory", "--sources", "2", "--virtual-users=1", "--members", "1");
    assertEquals(0, directory.exit(), directory.output());
    assertTrue(directory.output().contains("\"src-2\"") && directory.output().contains("\"vu-1\""), directory.output());
  }
}
