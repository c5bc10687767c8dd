package io.switchboard.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {

  @Test
  void durationsTakeSecondsUnitsOrIso() {
    assertEquals(Duration.ofSeconds(20), Options.parseDuration("20"));
    assertEquals(Duration.ofMillis(2500), Options.parseDuration("2.5s"));
    assertEquals(Duration.ofMillis(500), Options.parseDuration("500ms"));
    assertEquals(Duration.ofMinutes(2), Options.parseDuration("2m"));
    assertEquals(Duration.ofSeconds(30), Options.parseDuration("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> Options.parseDuration("soon"));
  }

  @Test
  void anUnknownOptionOrABadValueNamesTheOption() {
    Options.InvalidOptionException unknown = assertThrows(Options.InvalidOptionException.class,
        () -> Options.parse(new String[] {"--sorces", "3"}, SetupScenario.OPTIONS, Set.of()));
    assertTrue(unknown.getMessage().contains("--sorces"), unknown.getMessage());
    Options options = Options.parse(new String[] {"--sources=x"}, SetupScenario.OPTIONS, Set.of());
    Options.InvalidOptionException bad = assertThrows(Options.InvalidOptionException.class,
        () -> options.integer("sources", 1, 1));
    assertTrue(bad.getMessage().contains("--sources"), bad.getMessage());
  }

  @Test
  void pidsRepeatOrComeCommaSeparatedWithOptionalLabels() {
    long self = ProcessHandle.current().pid();
    Options options = Options.parse(new String[] {"--pid", "node-a=" + self, "--pid", self + ", redis=" + self},
        RelayScenario.OPTIONS, Set.of());
    assertEquals(List.of(new ProcessCpu.Target("node-a", self), new ProcessCpu.Target(Long.toString(self), self),
        new ProcessCpu.Target("redis", self)), ProcessCpu.targets(options.all("pid")));
    for (String bad : List.of("a=" + self + ",a=" + self, "total=" + self, "node=x", "=" + self, "node=0", "999999999")) {
      Options.InvalidOptionException refused = assertThrows(Options.InvalidOptionException.class,
          () -> ProcessCpu.targets(Options.of(Map.of("pid", bad)).all("pid")), bad);
      assertTrue(refused.getMessage().startsWith("--pid"), refused.getMessage());
    }
    // Other options given twice keep their last value.
    assertEquals(Duration.ofSeconds(3), Options.parse(new String[] {"--duration", "2s", "--duration", "3s"},
        RelayScenario.OPTIONS, Set.of()).duration("duration", null));
  }

  @Test
  void loadOptionsNeedTheSecretAndALoopbackTarget() {
    assertThrows(Options.InvalidOptionException.class, () -> LoadOptions.from(Options.of(Map.of())));
    Options.InvalidOptionException remote = assertThrows(Options.InvalidOptionException.class,
        () -> LoadOptions.from(Options.of(Map.of("secret", "s", "url", "ws://192.0.2.1:8080/ws"))));
    assertTrue(remote.getMessage().contains("loopback"), remote.getMessage());
    LoadOptions load = LoadOptions.from(Options.of(Map.of("secret", "s", "url", "ws://127.0.0.1:9/x",
        "local-addresses", "3")));
    assertEquals(new LoadOptions.Endpoint("127.0.0.1", 9, "/x"), load.endpoint(0));
    assertEquals(null, LoadOptions.from(Options.of(Map.of("secret", "s"))).localAddress(0));
    assertEquals("127.0.0.3", load.localAddress(load.addressSlot(5)));
  }

  @Test
  void connectionsGoToEveryNodeOfAClusterInTurn() {
    LoadOptions load = LoadOptions.from(Options.of(Map.of("secret", "s", "transport", "tcp",
        "tcp", "127.0.0.1:7070, localhost:7071", "local-addresses", "2")));
    assertEquals(7070, load.endpoint(0).port());
    assertEquals(7071, load.endpoint(1).port());
    assertEquals(7070, load.endpoint(2).port());
    // Each node sees connections from every local address.
    assertEquals(List.of(0, 0, 1, 1, 0), List.of(load.addressSlot(0), load.addressSlot(1), load.addressSlot(2),
        load.addressSlot(3), load.addressSlot(4)));
  }
}
