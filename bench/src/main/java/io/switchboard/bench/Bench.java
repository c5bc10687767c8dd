package io.switchboard.bench;

import io.switchboard.contract.Version;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bench's command line (picocli): {@code java -jar switchboard-bench.jar COMMAND [options]}. Every command prints one
 * JSON object on stdout and logs to stderr; every load scenario stops by itself.
 */
public final class Bench {

  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  /** Past the scenario's own duration, how long connecting, draining and closing may take before giving up. */
  private static final Duration GRACE = Duration.ofMinutes(2);

  /** The commands taking options of their own (jmh takes JMH's), in the order the help lists them. */
  private static final Map<String, String> COMMANDS = Options.table(
      "directory", "a directory file for the node's --directory: sources, virtual users and their members",
      "setup", "sources open and close conversations with virtual users: setups/s, open latency",
      "relay", "open conversations exchange messages: messages/s, delivery latency, loss and order checks",
      "idle", "idle authenticated connections: connections/s while connecting, the node's heap and RSS per connection",
      "ceiling", "the store's routing operation as fast as one pipelining client can: routes/s",
      "floor", "a bare relay of the same frames (no store, rules or routing) to measure setup and relay against: "
          + "what moving the bytes costs on this machine; runs until stopped");
  private static final String JMH = "jmh";
  private static final Set<String> HELP_FLAGS = Set.of("--help", "-h");

  private Bench() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    String command = args.length > 0 ? args[0] : "";
    try {
      JsonObject result;
      if (command.equals(JMH)) {
        // JMH reads its own command line, --help included.
        result = JmhCommand.run(Arrays.copyOfRange(args, 1, args.length));
      } else {
        CommandLine.ParseResult parsed = parse(args);
        if (parsed == null) {
          return;
        }
        result = run(parsed.commandSpec().name(), Options.from(parsed));
      }
      // A directory may hold tens of thousands of users: it is written compact, results readable.
      System.out.println(command.equals("directory") ? result.encode() : result.encodePrettily());
      if (command.equals("floor")) {
        System.out.flush();
        return; // the floor serves until it is stopped: its event loops keep the JVM running
      }
      System.exit(result.getBoolean("ok", true) ? 0 : 1);
    } catch (Options.InvalidOptionException e) {
      System.err.println("switchboard-bench: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      LOG.error("{} failed: {}", command, e.toString(), e);
      System.exit(1);
    }
  }

  /**
   * The command {@code args} ask to run, or null when they ask for help or the version (printed here): {@code --help}
   * anywhere prints the help of the command it follows, even past a mistake.
   */
  private static CommandLine.ParseResult parse(String[] args) {
    CommandLine commandLine = commandLine();
    CommandLine.ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      if (Arrays.stream(args).anyMatch(HELP_FLAGS::contains)) {
        System.out.print(e.getCommandLine().getUsageMessage());
        return null;
      }
      throw new Options.InvalidOptionException(e.getMessage() + " (see --help)");
    }
    CommandLine.ParseResult asked = parsed.hasSubcommand() ? parsed.subcommand() : parsed;
    // Help before or after the command's name is help about the command.
    if (parsed.isUsageHelpRequested() || asked.isUsageHelpRequested()) {
      System.out.print(asked.commandSpec().commandLine().getUsageMessage());
      return null;
    }
    if (parsed.isVersionHelpRequested() || asked.isVersionHelpRequested()) {
      System.out.println("switchboard-bench/" + Version.NUMBER);
      return null;
    }
    if (!parsed.hasSubcommand()) {
      System.out.print(commandLine.getUsageMessage());
      return null;
    }
    return asked;
  }

  /** The bench's command line: every command with its options, and jmh passing its line to JMH. */
  static CommandLine commandLine() {
    CommandSpec bench = Options.command("switchboard-bench", "Measures a Switchboard node. Every command prints one "
        + "JSON object on stdout and logs to stderr; --help after a command lists its options.", Map.of(), Set.of());
    COMMANDS.forEach((name, description) ->
        bench.addSubcommand(name, Options.command(name, description, optionsOf(name), Set.of())));
    CommandSpec jmh = CommandSpec.create().name(JMH);
    jmh.usageMessage().description("JMH benchmarks of PolicyChain.select (JMH's own options, e.g. -f 1 -wi 2 -i 3)");
    jmh.addPositional(PositionalParamSpec.builder().paramLabel("JMH-OPTION").arity("0..*").type(String.class).build());
    bench.addSubcommand(JMH, jmh);
    CommandLine commandLine = new CommandLine(bench);
    // An option given twice keeps its last value (or, for --pid, adds to the others).
    commandLine.setOverwrittenOptionsAllowed(true);
    return commandLine;
  }

  static Map<String, String> optionsOf(String command) {
    return switch (command) {
      case "directory" -> DirectoryCommand.OPTIONS;
      case "setup" -> SetupScenario.OPTIONS;
      case "relay" -> RelayScenario.OPTIONS;
      case "idle" -> IdleScenario.OPTIONS;
      case "ceiling" -> CeilingCommand.OPTIONS;
      case "floor" -> FloorCommand.OPTIONS;
      default -> throw new Options.InvalidOptionException("unknown command " + command);
    };
  }

  private static JsonObject run(String command, Options options) throws Exception {
    return switch (command) {
      case "directory" -> DirectoryCommand.generate(options);
      case "ceiling" -> CeilingCommand.run(options);
      case "floor" -> FloorCommand.run(options);
      default -> load(command, options);
    };
  }

  /** Runs a load scenario on a Vert.x of its own and waits for its result, at most its duration plus a grace. */
  private static JsonObject load(String scenario, Options options) throws Exception {
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
