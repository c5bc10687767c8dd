package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time that processes of this machine (each node, Redis) spend over a scenario's measured window, and per
 * operation measured in it: user + system clock ticks from {@code /proc/PID/stat}, read at the window's start and
 * end, in milliseconds by the clock tick rate ({@code getconf CLK_TCK}). An operator sizes a cluster with it: one
 * Redis serves at most 1,000,000 ÷ its µs per setup setups a second. The processes must run on this machine.
 */
final class ProcessCpu {

  static final String OPTION = "pid";
  static final String HELP = "a process whose CPU time to report per operation: the node's, Redis's; label=pid or "
      + "pid; repeatable or comma-separated, e.g. --pid node=1234 --pid redis=5678 (default: none)";
  private static final String TOTAL = "total";
  /** utime and stime: fields 14 and 15 of /proc/PID/stat, counted from the state (field 3) after the command name. */
  private static final int UTIME_AFTER_NAME = 11;
  private static final long GETCONF_TIMEOUT_S = 10;

  /** A process to measure, under the name the result gives it. */
  record Target(String label, long pid) {
  }

  /** CPU ticks of each target (or -1 where its process was gone), at a nanoTime. */
  private record Sample(long nanos, long[] ticks, String[] errors) {
  }

  private final Vertx vertx;
  private final List<Target> targets;
  private final long ticksPerSecond;
  private volatile Future<Sample> start;
  private volatile Future<Sample> end;

  private ProcessCpu(Vertx vertx, List<Target> targets, long ticksPerSecond) {
    this.vertx = vertx;
    this.targets = List.copyOf(targets);
    this.ticksPerSecond = ticksPerSecond;
  }

  /** The processes of {@code --pid}; none given, it measures nothing and adds nothing to the result. */
  static ProcessCpu from(Vertx vertx, Options options) {
    List<Target> targets = targets(options.all(OPTION));
    return new ProcessCpu(vertx, targets, targets.isEmpty() ? 0 : clockTicksPerSecond());
  }

  /** Reads {@code label=pid} or {@code pid} items; each process must exist now. */
  static List<Target> targets(List<String> items) {
    List<Target> targets = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (String item : items) {
      int equals = item.indexOf('=');
      String label = equals < 0 ? item : item.substring(0, equals).trim();
      String number = equals < 0 ? item : item.substring(equals + 1).trim();
      long pid;
      try {
        pid = Long.parseLong(number);
      } catch (NumberFormatException e) {
        throw new Options.InvalidOptionException("--pid: label=pid or pid, not " + item);
      }
      if (pid < 1 || label.isEmpty()) {
        throw new Options.InvalidOptionException("--pid: label=pid or pid, not " + item);
      }
      if (label.equals(TOTAL) || !labels.add(label)) {
        throw new Options.InvalidOptionException("--pid: the label " + label + " is "
            + (label.equals(TOTAL) ? "the sum's" : "given twice"));
      }
      if (!Files.isReadable(stat(pid))) {
        throw new Options.InvalidOptionException("--pid: no process " + pid + " on this machine (" + stat(pid) + ")");
      }
      targets.add(new Target(label, pid));
    }
    return targets;
  }

  /** Reads the processes' CPU time now: the start of the measured window. */
  void markStart() {
    start = sample();
  }

  /** Reads the processes' CPU time now: the end of the measured window; completes once read. */
  Future<Void> markEnd() {
    end = sample();
    return end.mapEmpty();
  }

  /**
   * Per process and in total: CPU milliseconds over the window, the cores that is on average, and µs per operation
   * ({@code operations} measured in the window); null when no process was given.
   */
  JsonObject toJson(long operations) {
    if (targets.isEmpty()) {
      return null;
    }
    if (start == null || end == null || !start.succeeded() || !end.succeeded()) {
      return new JsonObject().put("error", "the measured window was not sampled");
    }
    Sample first = start.result();
    Sample last = end.result();
    double windowMs = (last.nanos() - first.nanos()) / 1e6;
    JsonObject json = new JsonObject();
    double totalMs = 0;
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      String error = first.errors()[i] != null ? first.errors()[i] : last.errors()[i];
      if (error != null) {
        json.put(target.label(), new JsonObject().put("pid", target.pid()).put("error", error));
        continue;
      }
      double cpuMs = (last.ticks()[i] - first.ticks()[i]) * 1000.0 / ticksPerSecond;
      totalMs += cpuMs;
      json.put(target.label(), figures(cpuMs, windowMs, operations).put("pid", target.pid()));
    }
    return json.put(TOTAL, figures(totalMs, windowMs, operations).put("windowSeconds", round(windowMs / 1000, 3)));
  }

  private static JsonObject figures(double cpuMs, double windowMs, long operations) {
    return new JsonObject()
        .put("cpuMs", round(cpuMs, 1))
        .put("cores", windowMs > 0 ? round(cpuMs / windowMs, 3) : null)
        .put("usPerOp", operations > 0 ? round(cpuMs * 1000 / operations, 1) : null);
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  private Future<Sample> sample() {
    if (targets.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      long nanos = System.nanoTime();
      long[] ticks = new long[targets.size()];
      String[] errors = new String[targets.size()];
      for (int i = 0; i < targets.size(); i++) {
        try {
          ticks[i] = ticks(targets.get(i).pid());
        } catch (IOException | RuntimeException e) {
          errors[i] = "process " + targets.get(i).pid() + " could not be read: " + e.getMessage();
        }
      }
      return new Sample(nanos, ticks, errors);
    }, false);
  }

  /** User + system clock ticks the process has used. */
  static long ticks(long pid) throws IOException {
    String stat = Files.readString(stat(pid), StandardCharsets.US_ASCII);
    // The command name, in parentheses, may hold spaces and parentheses itself: the fields follow the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[UTIME_AFTER_NAME + 1]);
  }

  private static Path stat(long pid) {
    return Path.of("/proc", Long.toString(pid), "stat");
  }

  /** The kernel's clock ticks per second, in which /proc reports CPU time (usually 100). */
  static long clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (!getconf.waitFor(GETCONF_TIMEOUT_S, TimeUnit.SECONDS) || getconf.exitValue() != 0) {
        getconf.destroy();
        throw new IllegalStateException("getconf CLK_TCK failed: " + output);
      }
      long rate = Long.parseLong(output);
      if (rate < 1) {
        throw new IllegalStateException("getconf CLK_TCK said " + output);
      }
      return rate;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("--pid needs the clock tick rate from getconf CLK_TCK: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the clock tick rate", e);
    }
  }
}
