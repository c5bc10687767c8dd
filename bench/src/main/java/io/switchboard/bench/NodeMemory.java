package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of the node process: its resident set (VmRSS of /proc/PID/status) and its Java heap in use right
 * after a full collection ({@code jcmd PID GC.run}, then {@code jcmd PID GC.heap_info}). The node must run as
 * the same user as the bench, on the same machine. Reading runs jcmd, so it happens on a worker thread.
 */
final class NodeMemory {

  /** The first "used NNNK" of GC.heap_info is the whole heap's (G1, Parallel and Serial all print it first). */
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final long JCMD_TIMEOUT_S = 60;
  /** The running JDK's jcmd (a JRE has none), else whichever is on the PATH. */
  private static final String JCMD = Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "jcmd"))
      ? Path.of(System.getProperty("java.home"), "bin", "jcmd").toString() : "jcmd";

  /** One reading. */
  record Reading(long heapUsedBytes, long rssBytes) {
    JsonObject toJson() {
      return new JsonObject().put("heapUsedBytes", heapUsedBytes).put("rssBytes", rssBytes);
    }
  }

  private final Vertx vertx;
  private final long pid;

  NodeMemory(Vertx vertx, long pid) {
    this.vertx = vertx;
    this.pid = pid;
  }

  Future<Reading> read() {
    return vertx.executeBlocking(() -> {
      jcmd("GC.run");
      long heap = match(HEAP_USED, jcmd("GC.heap_info"), "GC.heap_info") * 1024;
      long rss = match(RSS, Files.readString(Path.of("/proc", Long.toString(pid), "status")), "VmRSS") * 1024;
      return new Reading(heap, rss);
    }, false);
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(JCMD, Long.toString(pid), command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(JCMD_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroy();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + output.strip());
    }
    return output;
  }

  private static long match(Pattern pattern, String text, String what) throws IOException {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      throw new IOException("no " + what + " figure in: " + text.strip());
    }
    return Long.parseLong(matcher.group(1));
  }
}
