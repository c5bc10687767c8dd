package io.switchboard.node;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos suite: three node JVMs on a real Redis carry a bounded load of conversations while one fault is
 * injected; afterwards every acked message must have been delivered exactly once and in order (through resume
 * where a connection dropped), every request answered within its deadline, every member's load back to 0 once the
 * conversations are closed, and every connected user online as seen from every node. Each scenario prints its
 * figures (faults, messages acked vs delivered, time to recover) before it asserts; run one alone with
 * {@code -Dtest=ChaosTest#sigstopLongerThanALease}, longer with {@code -Dchaos.seconds=60} (docs/TESTING.md).
 */
class ChaosTest {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosTest.class);
  private static final List<ChaosReport> REPORTS = new CopyOnWriteArrayList<>();

  /** The run in one table: messages, leaks, and the time to recover from each fault. */
  @AfterAll
  static void summarise() {
    if (!REPORTS.isEmpty()) {
      StringBuilder table = new StringBuilder(ChaosReport.tableHeading());
      REPORTS.forEach(report -> table.append(report.tableRow()));
      LOG.warn("chaos suite (times in ms from the fault):\n{}", table);
    }
  }

  @Test
  void baselineWithoutFault(TestInfo test) throws Exception {
    run(test, ChaosFault.none());
  }

  @Test
  void killNode(TestInfo test) throws Exception {
    run(test, ChaosFault.killNode("b"));
  }

  @Test
  void sigstopLongerThanALease(TestInfo test) throws Exception {
    run(test, ChaosFault.freezeNode("b", ChaosCluster.LEASE.multipliedBy(9).dividedBy(2)));
  }

  @Test
  void sigtermNode(TestInfo test) throws Exception {
    run(test, ChaosFault.terminateNode("b"));
  }

  @Test
  void redisKilledAndRestarted(TestInfo test) throws Exception {
    run(test, ChaosFault.restartRedis(Duration.ofSeconds(3)));
  }

  @Test
  void redisFlushed(TestInfo test) throws Exception {
    run(test, ChaosFault.flushRedis());
  }

  private static void run(TestInfo test, ChaosFault fault) throws Exception {
    ChaosReport report = ChaosRun.run(test.getTestMethod().orElseThrow().getName(), fault);
    REPORTS.add(report);
    LOG.warn("\n{}", report.format());
    List<String> violations = report.violations();
    assertTrue(violations.isEmpty(), () -> report.scenario + " after " + report.fault + ":\n  " + String.join("\n  ", violations));
  }
}
