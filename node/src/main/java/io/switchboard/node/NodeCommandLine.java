package io.switchboard.node;

import io.switchboard.contract.Version;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's command line (picocli): {@code [options]} runs a node, {@code token USER [--admin]} prints a token;
 * {@code --help} anywhere prints the help of the command it follows, {@code --version} the version. Values are
 * read and checked by {@link NodeOptions}, which also takes each option from its environment variable.
 */
final class NodeCommandLine {

  /** What the command line asks for. */
  sealed interface Command {
  }

  /** Print {@code text} (help or version) and exit 0. */
  record Print(String text) implements Command {
  }

  /** Run a node. */
  record Run(NodeOptions options) implements Command {
  }

  /** Print a token for {@code user}, an admin token if {@code admin}. */
  record Token(String user, boolean admin, NodeOptions options) implements Command {
  }

  static final String TOKEN = "token";
  /** The node options that {@code token} takes: what signs a token and how long it may last. */
  static final List<String> TOKEN_OPTIONS = List.of("jwt-secret", "admin-jwt-secret", "max-token-lifetime");
  private static final Set<String> HELP_FLAGS = Set.of("--help", "-h");

  private NodeCommandLine() {
  }

  /** Reads {@code args} over {@code env}; throws {@link NodeOptions.InvalidOptionException} naming what is wrong. */
  static Command parse(String[] args, Map<String, String> env) {
    CommandLine commandLine = create();
    ParseResult result;
    try {
      result = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      // --help wins over a mistake elsewhere on the line: it is what the operator asks for.
      if (List.of(args).stream().anyMatch(HELP_FLAGS::contains)) {
        return new Print(e.getCommandLine().getUsageMessage());
      }
      throw new NodeOptions.InvalidOptionException(e.getMessage() + " (see --help)");
    }
    ParseResult asked = result.hasSubcommand() ? result.subcommand() : result;
    // Help before or after the command's name is help about the command.
    if (result.isUsageHelpRequested() || asked.isUsageHelpRequested()) {
      return new Print(asked.commandSpec().commandLine().getUsageMessage());
    }
    if (result.isVersionHelpRequested() || asked.isVersionHelpRequested()) {
      return new Print(Version.SERVER + System.lineSeparator());
    }
    NodeOptions options = NodeOptions.from(given(asked), env);
    if (!result.hasSubcommand()) {
      return new Run(options);
    }
    return new Token(asked.matchedPositional(0).getValue(), asked.hasMatchedOption("--admin"), options);
  }

  /** Usage text of the node itself. */
  static String usage() {
    return create().getUsageMessage();
  }

  private static Map<String, String> given(ParseResult result) {
    Map<String, String> given = new HashMap<>();
    for (OptionSpec option : result.matchedOptions()) {
      String name = option.longestName().substring(2);
      if (NodeOptions.HELP.containsKey(name)) {
        List<String> values = option.stringValues();
        given.put(name, values.isEmpty() ? "true" : values.get(values.size() - 1));
      }
    }
    return given;
  }

  private static CommandLine create() {
    CommandSpec node = command("switchboard", "Runs a Switchboard node.");
    NodeOptions.HELP.forEach((name, help) -> node.addOption(option(name, help)));
    CommandSpec token = command(TOKEN, "Prints a token for USER signed with the nodes' secret, lasting the"
        + " longest the nodes accept (for a cluster, whose nodes log no demo tokens).");
    token.addPositional(PositionalParamSpec.builder().paramLabel("USER").type(String.class)
        .description("the user the token is for (its sub claim)").build());
    token.addOption(OptionSpec.builder("--admin").description("an admin token (\"roles\":[\"admin\"])").build());
    TOKEN_OPTIONS.forEach(name -> token.addOption(option(name, NodeOptions.HELP.get(name))));
    node.addSubcommand(TOKEN, token);
    CommandLine commandLine = new CommandLine(node);
    // An option given twice keeps its last value, as before picocli.
    commandLine.setOverwrittenOptionsAllowed(true);
    return commandLine;
  }

  private static CommandSpec command(String name, String description) {
    CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true)
        .versionProvider(() -> new String[] {Version.SERVER});
    spec.usageMessage().description(description).sortOptions(false).abbreviateSynopsis(true).width(100)
        .footer("%nEach option may also be set in the environment as SWITCHBOARD_<OPTION>, e.g. --http-port as "
            + "SWITCHBOARD_HTTP_PORT; the command line wins. See docs/CONFIGURATION.md.");
    return spec;
  }

  private static OptionSpec option(String name, String help) {
    OptionSpec.Builder option = OptionSpec.builder("--" + name).type(String.class).description(help);
    return NodeOptions.FLAGS.contains(name)
        ? option.arity("0..1").fallbackValue("true").paramLabel("true|false").build()
        : option.paramLabel("<" + name + ">").build();
  }
}
