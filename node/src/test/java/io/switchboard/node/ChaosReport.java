package io.switchboard.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one chaos scenario, filled in as it runs, printed whole before anything is asserted, and the
 * list of what went wrong (empty when the cluster came through).
 */
final class ChaosReport {

  final String scenario;
  final String fault;
  /** Whether conversations must outlive the fault (not when the fault destroys them, as a flushed store does). */
  final boolean conversationsSurvive;
  final ChaosRun.Settings settings;
  String faultNote = "not injected";
  long faultMillis = -1;

  // messages, summed over every conversation and direction
  int acked;
  int delivered;
  int duplicates;
  int missing;
  /** Of the missing, how many the receiver's transcript holds as delivered (-1: could not ask). */
  int missingInStore;
  final List<String> missingExamples = new ArrayList<>();
  int mismatched;
  int outOfOrder;
  final List<String> outOfOrderExamples = new ArrayList<>();
  int deliveredUnacked;
  /** Milliseconds from the fault until every direction of every conversation carried a message sent after it. */
  long flowRecoveredMillis = -1;
  int directionsNotFlowing;

  ChaosStats stats;
  long presenceRecoveredMillis = -1;
  Map<String, List<String>> presenceProblems = Map.of();
  /** Per node that should serve after the fault: when it first did a full round trip, or why it never did. */
  final Map<String, String> probes = new LinkedHashMap<>();
  final List<String> nodesNeverServing = new ArrayList<>();
  /** Milliseconds until the slowest node served a round trip again; -1 if one never did. */
  long nodesServingMillis = -1;
  final List<String> closeFailures = new ArrayList<>();
  /** Members whose load stayed above 0 after every conversation was closed, as virtual-user/member. */
  final Map<String, Integer> leakedLoads = new LinkedHashMap<>();
  final List<String> loadErrors = new ArrayList<>();
  /** Per node: its WARN and ERROR lines from the fault on, counted by message. */
  final Map<String, List<String>> logExcerpts = new LinkedHashMap<>();

  ChaosReport(String scenario, ChaosFault fault, ChaosRun.Settings settings) {
    this.scenario = scenario;
    this.fault = fault.description();
    this.conversationsSurvive = fault.conversationsSurvive();
    this.settings = settings;
  }

  /** What the scenario must not have seen; empty when the cluster came through. */
  List<String> violations() {
    List<String> violations = new ArrayList<>();
    if (missing > 0) {
      violations.add(missing + " acked messages never delivered ("
          + (missingInStore < 0 ? "unknown how many" : missingInStore) + " of them in the store, as a resume from 0 would"
          + " find them): " + missingExamples);
    }
    if (mismatched > 0) {
      violations.add(mismatched + " messages delivered with another body than the one acked under their seq");
    }
    if (outOfOrder > 0) {
      violations.add(outOfOrder + " messages reached their receiver after a higher seq on a live connection: "
          + outOfOrderExamples);
    }
    if (stats.unansweredCount() > 0) {
      violations.add(stats.unansweredCount() + " requests unanswered past their deadline: " + stats.unansweredExamples());
    }
    if (conversationsSurvive && stats.endedCount() > 0) {
      violations.add(stats.endedCount() + " conversations ended by the server although every client came back within"
          + " the disconnect grace: " + stats.endedExamples());
    }
    if (conversationsSurvive && directionsNotFlowing > 0) {
      violations.add(directionsNotFlowing + " conversation directions never carried a message sent after the fault");
    }
    if (!nodesNeverServing.isEmpty()) {
      violations.add("nodes that never served a round trip again: " + nodesNeverServing);
    }
    if (!presenceProblems.isEmpty()) {
      violations.add("connected users not online everywhere at the end: " + presenceProblems);
    }
    if (!closeFailures.isEmpty()) {
      violations.add("conversations that could not be closed at the end: " + closeFailures);
    }
    if (!leakedLoads.isEmpty() || !loadErrors.isEmpty()) {
      violations.add("loads not back to 0 after closing every conversation: " + leakedLoads + " " + loadErrors);
    }
    return violations;
  }

  String format() {
    StringBuilder text = new StringBuilder();
    line(text, "chaos scenario", scenario);
    line(text, "fault", fault + " — " + faultNote + (faultMillis >= 0 ? " (fault lasted " + faultMillis + " ms)" : ""));
    line(text, "load", settings.nodes() + " nodes, " + settings.conversations() + " conversations, "
        + settings.rate() + " msg/s per side, " + settings.seconds() + " s after the fault");
    line(text, "messages", "acked " + acked + ", delivered " + delivered + " (+" + duplicates + " duplicates), missing "
        + missing + (missing > 0 ? " (in store: " + missingInStore + ")" : "") + ", delivered without ack "
        + deliveredUnacked + ", wrong body " + mismatched + ", out of order " + outOfOrder);
    if (!missingExamples.isEmpty()) {
      line(text, "missing", String.join("; ", missingExamples));
    }
    if (!outOfOrderExamples.isEmpty()) {
      line(text, "out of order", String.join("; ", outOfOrderExamples));
    }
    line(text, "requests", stats.requests.get() + " sent (" + stats.sends.get() + " sends), unanswered "
        + stats.unansweredCount() + ", lost with their connection " + stats.lostWithConnection.get()
        + ", answered after their deadline " + stats.lateAnswers.get());
    line(text, "errors", stats.errors().toString());
    if (stats.unansweredCount() > 0) {
      line(text, "unanswered", String.join("; ", stats.unansweredExamples()));
    }
    line(text, "connections", stats.disconnects.get() + " dropped, " + stats.reconnects.get() + " reconnected (slowest "
        + stats.longestReconnectMillis() + " ms), " + stats.resumes.get() + " resumes; failed connects "
        + stats.failedConnects());
    line(text, "conversations", stats.endedCount() + " ended by the server" + (stats.endedCount() > 0
        ? ": " + String.join("; ", stats.endedExamples()) : "") + (closeFailures.isEmpty() ? ""
        : "; could not close: " + closeFailures));
    line(text, "recovery", "messages flowing both ways in every conversation after " + millis(flowRecoveredMillis)
        + (directionsNotFlowing > 0 ? " (" + directionsNotFlowing + " directions never)" : "")
        + "; every connected user online everywhere after " + millis(presenceRecoveredMillis));
    probes.forEach((node, outcome) -> line(text, "round trip via " + node, outcome));
    line(text, "presence at end", presenceProblems.isEmpty() ? "every connected user online on every node"
        : presenceProblems.toString());
    line(text, "loads at end", leakedLoads.isEmpty() && loadErrors.isEmpty() ? "every member at 0"
        : "leaked " + leakedLoads + " " + loadErrors);
    logExcerpts.forEach((node, lines) -> {
      line(text, "log of " + node, lines.isEmpty() ? "no WARN or ERROR after the fault" : lines.size() + " kinds of WARN/ERROR after the fault:");
      lines.forEach(logLine -> text.append("      ").append(logLine).append('\n'));
    });
    List<String> violations = violations();
    line(text, "verdict", violations.isEmpty() ? "PASS" : "FAIL");
    violations.forEach(violation -> text.append("    - ").append(violation).append('\n'));
    return text.toString();
  }

  private static final String ROW = "%-24s %6s %9s %5s %7s %10s %6s %7s %9s %9s %9s  %s%n";

  /** The heading of the table that sums up every scenario of a run. */
  static String tableHeading() {
    return String.format(ROW, "scenario", "acked", "delivered", "dups", "missing", "unanswered", "leaked", "offline",
        "flowing", "serving", "online", "verdict");
  }

  /** This scenario as a row of that table; times are milliseconds from the fault, "never" if not recovered. */
  String tableRow() {
    int leaked = leakedLoads.values().stream().mapToInt(Integer::intValue).sum();
    int offline = presenceProblems.values().stream().mapToInt(List::size).sum();
    return String.format(ROW, scenario, acked, delivered, duplicates, missing, stats.unansweredCount(),
        loadErrors.isEmpty() ? String.valueOf(leaked) : "?", offline, never(flowRecoveredMillis),
        never(nodesServingMillis), never(presenceRecoveredMillis), violations().isEmpty() ? "PASS" : "FAIL");
  }

  private static String never(long millis) {
    return millis < 0 ? "never" : String.valueOf(millis);
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format("  %-22s %s%n", label, value));
  }

  private static String millis(long millis) {
    return millis < 0 ? "NEVER" : millis + " ms";
  }
}
