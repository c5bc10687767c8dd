package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bench's command line: {@code java -jar switchboard-bench.jar SCENARIO [options]}. Every command prints one
 * JSON object on stdout and logs to stderr; every load scenario stops by itself.
 */
public final class Bench {

  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  /** Past the scenario's own duration, how long connecting, draining and closing may take before giving up. */
  private static final Duration GRACE = Duration.ofMinutes(2);

  private static final String USAGE = """
      Usage: java -jar switchboard-bench.jar COMMAND [options]

      Commands (each prints one JSON object on stdout; --help after a command lists its options):
        directory   a directory file for the node's --directory: sources, virtual users and their members
        setup       sources open and close conversations with virtual users: setups/s, open latency
        relay       open conversations exchange messages: messages/s, delivery latency, loss and order checks
        idle        idle authenticated connections held open: the node's heap and RSS per connection
        ceiling     the store's routing operation as fast as one pipelining client can: routes/s
        jmh         JMH benchmarks of PolicyChain.select (JMH's own options, e.g. -f 1 -wi 2 -i 3)
      """;

  private Bench() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      JsonObject result = switch (command) {
        case "directory" -> help(command, rest, DirectoryCommand.OPTIONS) ? null : DirectoryCommand.run(rest);
        case "jmh" -> JmhCommand.run(rest);
        case "ceiling" -> help(command, rest, CeilingCommand.OPTIONS) ? null : CeilingCommand.run(rest);
        case "setup", "relay", "idle" -> help(command, rest, optionsOf(command)) ? null : load(command, rest);
        default -> throw new Options.InvalidOptionException("unknown command " + command + "\n\n" + USAGE);
      };
      if (result != null) {
        // A directory may hold tens of thousands of users: it is written compact, results readable.
        System.out.println(command.equals("directory") ? result.encode() : result.encodePrettily());
      }
      System.exit(result != null && result.getBoolean("ok", true) ? 0 : 1);
    } catch (Options.InvalidOptionException e) {
      System.err.println("switchboard-bench: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      LOG.error("{} failed: {}", command, e.toString(), e);
      System.exit(1);
    }
  }

  private static boolean help(String command, String[] args, Map<String, String> options) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(Options.usage("Usage: java -jar switchboard-bench.jar " + command + " [options]", options));
      return true;
    }
    return false;
  }

  static Map<String, String> optionsOf(String scenario) {
    return switch (scenario) {
      case "setup" -> SetupScenario.OPTIONS;
      case "relay" -> RelayScenario.OPTIONS;
      case "idle" -> IdleScenario.OPTIONS;
      default -> throw new Options.InvalidOptionException("unknown scenario " + scenario);
    };
  }

  /** Runs a load scenario on a Vert.x of its own and waits for its result, at most its duration plus a grace. */
  private static JsonObject load(String scenario, String[] args) throws Exception {
    Options options = Options.parse(args, optionsOf(scenario), Set.of());
    LoadOptions load = LoadOptions.from(options);
    int threads = options.integer("threads", Runtime.getRuntime().availableProcessors(), 1);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
    try {
      // Connecting is not part of the duration: allow for the idle scenario's ramp (a few hundred a second).
      Duration ramp = Duration.ofMillis(10L * (scenario.equals("idle") ? options.integer("connections", 1000, 1) : 0));
      Duration limit = load.total().plus(GRACE).plus(ramp);
      return run(vertx, scenario, options).await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(scenario + " did not finish within its duration plus " + GRACE, e);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code scenario} with {@code options} on {@code vertx}; the result carries {@code ok}. */
  static Future<JsonObject> run(Vertx vertx, String scenario, Options options) {
    Future<JsonObject> result = switch (scenario) {
      case "setup" -> new SetupScenario(vertx, options).run();
      case "relay" -> new RelayScenario(vertx, options).run();
      case "idle" -> new IdleScenario(vertx, options).run();
      default -> Future.failedFuture(new Options.InvalidOptionException("unknown scenario " + scenario));
    };
    return result.map(Bench::judge);
  }

  /** A run is ok when nothing was lost, duplicated or reordered and no held connection dropped. */
  private static JsonObject judge(JsonObject result) {
    boolean ok = result.getLong("lost", 0L) == 0 && result.getLong("duplicated", 0L) == 0
        && result.getLong("outOfOrder", 0L) == 0 && result.getLong("seqMismatches", 0L) == 0
        && result.getLong("droppedWhileHeld", 0L) == 0;
    return result.put("ok", ok);
  }
}
