package io.switchboard.node;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.node.ChaosLoad.poll;

/**
 * One chaos scenario from start to end: a fresh cluster, the load flowing, the fault, the load going on until the
 * cluster has recovered (or the recovery deadline passed) and for its duration after the fault, then the
 * accounting — messages, requests, presence through every node, loads after closing everything — in a report.
 */
final class ChaosRun {

  /** The bounded default, or longer runs: {@code -Dchaos.seconds=60 -Dchaos.conversations=100 -Dchaos.rate=50}. */
  record Settings(int nodes, int conversations, int rate, int seconds) {
    static Settings fromSystemProperties() {
      return new Settings(3, Integer.getInteger("chaos.conversations", 12), Integer.getInteger("chaos.rate", 20),
          Integer.getInteger("chaos.seconds", 5));
    }

    List<String> nodeIds() {
      return List.of("a", "b", "c").subList(0, nodes);
    }
  }

  /** Messages each conversation carries both ways before the fault: the load is known to flow. */
  private static final int WARM_UP_MESSAGES = 5;
  private static final Duration WARM_UP = Duration.ofSeconds(15);
  private static final Duration FAULT_LIMIT = Duration.ofSeconds(60);
  /** How long after the fault is over the cluster has to serve again and show everyone online. */
  private static final Duration RECOVERY = Duration.ofSeconds(15);
  private static final Duration SETTLE = ChaosParty.REQUEST_DEADLINE.plusSeconds(2);
  private static final Duration DELIVERY = Duration.ofSeconds(5);
  private static final Duration FINAL_CHECK = Duration.ofSeconds(5);
  private static final int LOG_KINDS = 12;
  private static final int LOG_LINE_CHARS = 240;
  private static final int MISSING_EXAMPLES = 6;
  /** A log line: time, level, [thread], logger - message. */
  private static final Pattern LOG_LINE = Pattern.compile("^\\S+ (WARN |ERROR) \\[[^]]*] (.*)$");

  private ChaosRun() {
  }

  static ChaosReport run(String scenario, ChaosFault fault) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    ChaosReport report = new ChaosReport(scenario, fault, settings);
    List<String> nodeIds = settings.nodeIds();
    ScheduledExecutorService watchers = Executors.newScheduledThreadPool(nodeIds.size() + 2);
    try (ChaosCluster cluster = ChaosCluster.start(scenario, nodeIds, ChaosLoad.directory(settings.conversations(), nodeIds));
         ChaosLoad load = new ChaosLoad(cluster, settings.conversations(), settings.rate())) {
      report.stats = load.stats;
      List<NodeProcess> survivors = cluster.nodes.stream().filter(node -> !fault.removedNodes().contains(node.nodeId)).toList();
      List<ChaosProbe> probes = ChaosProbe.of(survivors, cluster);
      probes.forEach(ChaosProbe::connectAgent);
      load.connectAndOpen();
      load.start();
      if (!poll(WARM_UP, () -> load.flowing(WARM_UP_MESSAGES))) {
        throw new AssertionError("the load did not flow before the fault: " + load.stats.errors());
      }
      Map<String, Long> logOffsets = logSizes(cluster);
      long faultNanos = System.nanoTime();
      ChaosPresence presence = new ChaosPresence(cluster, load.parties(),
          () -> survivors.stream().filter(NodeProcess::serves).toList());
      probes.forEach(probe -> probe.start(watchers, faultNanos));
      presence.start(watchers, faultNanos);
      try {
        report.faultNote = fault.inject(cluster, watchers).get(FAULT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        long healedNanos = System.nanoTime();
        report.faultMillis = (healedNanos - faultNanos) / 1_000_000;
        // The load runs on for its duration after the fault (the run's length, not a synchronisation) and until
        // every node serves and everyone is online again, or the recovery deadline passed.
        long endNanos = healedNanos + TimeUnit.SECONDS.toNanos(settings.seconds());
        poll(RECOVERY.plusSeconds(settings.seconds()), () -> System.nanoTime() >= endNanos
            && probes.stream().allMatch(probe -> probe.recoveredMillis() >= 0) && presence.good());
        load.stopSending();
        poll(SETTLE, load::settled);
        poll(DELIVERY, load::delivered);
        poll(FINAL_CHECK, presence::good);
      } finally {
        presence.stop();
        probes.forEach(probe -> report.closeFailures.addAll(probe.stop()));
      }
      account(report, load, faultNanos);
      report.presenceRecoveredMillis = presence.recoveredMillis();
      report.presenceProblems = presence.good() ? Map.of() : presence.lastProblems();
      for (ChaosProbe probe : probes) {
        report.probes.put(probe.node.nodeId, probe.outcome());
        if (probe.recoveredMillis() < 0) {
          report.nodesNeverServing.add(probe.node.nodeId);
        }
      }
      report.nodesServingMillis = report.nodesNeverServing.isEmpty()
          ? probes.stream().mapToLong(ChaosProbe::recoveredMillis).max().orElse(0) : -1;
      report.closeFailures.addAll(load.closeAll());
      checkLoads(report, cluster, survivors, nodeIds);
      report.logExcerpts.putAll(logExcerpts(cluster, logOffsets));
    } finally {
      watchers.shutdownNow();
    }
    Files.writeString(Path.of("target", "chaos", scenario, "report.txt"), report.format());
    return report;
  }

  /** Sums every direction's ledger into the report, and asks the receivers' transcripts about what is missing. */
  private static void account(ChaosReport report, ChaosLoad load, long faultNanos) {
    long lastRecovery = 0;
    int inStore = 0;
    for (ChaosLoad.Conversation conversation : load.conversations()) {
      for (ChaosLedger ledger : conversation.ledgers()) {
        ChaosLedger.Figures figures = ledger.figures(faultNanos);
        report.acked += figures.acked();
        report.delivered += figures.delivered();
        report.duplicates += figures.duplicates();
        report.mismatched += figures.mismatched();
        report.outOfOrder += figures.outOfOrder();
        figures.outOfOrderExamples().stream().limit(MISSING_EXAMPLES - report.outOfOrderExamples.size())
            .forEach(report.outOfOrderExamples::add);
        report.deliveredUnacked += figures.deliveredUnacked();
        if (figures.firstDeliveryAfterFaultNanos() == Long.MAX_VALUE) {
          report.directionsNotFlowing++;
        } else {
          lastRecovery = Math.max(lastRecovery, figures.firstDeliveryAfterFaultNanos() - faultNanos);
        }
        if (!figures.missing().isEmpty()) {
          report.missing += figures.missing().size();
          StringBuilder why = new StringBuilder();
          int found = load.missingInStore(conversation, ledger, figures.missing(), why);
          inStore = inStore < 0 || found < 0 ? -1 : inStore + found;
          if (report.missingExamples.size() < MISSING_EXAMPLES) {
            List<Long> resumes = ChaosLoad.receiver(conversation, ledger).side(conversation.id()).resumedAfter;
            report.missingExamples.add(conversation.id() + " " + ledger.sender + "→" + ledger.receiver + " seqs "
                + ranges(figures.missing()) + " of " + figures.acked() + " acked, in store: " + (found < 0 ? why : found + " (" + why + ")")
                + ", receiver resumed " + (resumes.isEmpty() ? "never" : "after " + resumes));
          }
        }
      }
    }
    report.missingInStore = inStore;
    report.flowRecoveredMillis = report.directionsNotFlowing > 0 ? -1 : lastRecovery / 1_000_000;
  }

  /** Ascending seqs as ranges: {@code 28-30, 34, 42-70}. */
  static String ranges(List<Long> seqs) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < seqs.size(); ) {
      int end = i;
      while (end + 1 < seqs.size() && seqs.get(end + 1) == seqs.get(end) + 1) {
        end++;
      }
      text.append(text.length() == 0 ? "" : ", ").append(seqs.get(i)).append(end > i ? "-" + seqs.get(end) : "");
      i = end + 1;
    }
    return text.toString();
  }

  /** Polls the members' loads through a serving node until all are 0, or reports those that stay above. */
  private static void checkLoads(ChaosReport report, ChaosCluster cluster, List<NodeProcess> survivors, List<String> nodeIds) {
    NodeProcess through = survivors.stream().filter(NodeProcess::serves).findFirst().orElse(null);
    if (through == null) {
      report.loadErrors.add("no node serves the admin API");
      return;
    }
    AdminClient admin = cluster.admin(through);
    Map<String, Integer> leaked = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    poll(FINAL_CHECK, () -> {
      leaked.clear();
      errors.clear();
      for (String virtualUser : ChaosLoad.virtualUsers(nodeIds)) {
        try {
          AdminClient.Response response = admin.get("/api/v1/virtual-users/" + virtualUser + "/status");
          if (response.status() != 200) {
            errors.add(virtualUser + ": " + response.status() + " " + response.body());
            continue;
          }
          new JsonObject(response.body()).getJsonArray("members").stream().map(JsonObject.class::cast)
              .filter(member -> member.getInteger("load", 0) != 0)
              .forEach(member -> leaked.put(virtualUser + "/" + member.getString("id"), member.getInteger("load")));
        } catch (RuntimeException | AssertionError failure) {
          errors.add(virtualUser + ": " + failure.getMessage());
        }
      }
      return leaked.isEmpty() && errors.isEmpty();
    });
    report.leakedLoads.putAll(leaked);
    report.loadErrors.addAll(errors);
  }

  private static Map<String, Long> logSizes(ChaosCluster cluster) {
    Map<String, Long> sizes = new HashMap<>();
    cluster.nodes.forEach(node -> sizes.put(node.nodeId, lines(node.log).size() * 1L));
    return sizes;
  }

  /** Each node's WARN and ERROR lines since the fault, counted by message (times and threads left out). */
  private static Map<String, List<String>> logExcerpts(ChaosCluster cluster, Map<String, Long> offsets) {
    Map<String, List<String>> excerpts = new LinkedHashMap<>();
    for (NodeProcess node : cluster.nodes) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      lines(node.log).stream().skip(offsets.get(node.nodeId)).forEach(line -> {
        Matcher matcher = LOG_LINE.matcher(line);
        if (matcher.matches()) {
          String message = matcher.group(1).trim() + " " + matcher.group(2);
          counts.merge(message.length() <= LOG_LINE_CHARS ? message : message.substring(0, LOG_LINE_CHARS) + "…", 1, Integer::sum);
        }
      });
      excerpts.put(node.nodeId, counts.entrySet().stream().limit(LOG_KINDS)
          .map(entry -> entry.getValue() + "× " + entry.getKey()).toList());
    }
    return excerpts;
  }

  private static List<String> lines(Path log) {
    try {
      return Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
