package io.switchboard.bench;

import io.switchboard.contract.Version;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A command's options, {@code --name value} or {@code --name=value}, checked against the options the command
 * knows (by picocli, which also gives every command its {@code --help}). A bad value fails with a message that names the option. An option given twice keeps its last value,
 * except where a command reads every value ({@link #all}).
 */
final class Options {

  /** Thrown for an unknown option or a bad value; the message is meant for the person running the bench. */
  static final class InvalidOptionException extends IllegalArgumentException {
    InvalidOptionException(String message) {
      super(message);
    }
  }

  /** Every value given of each option, in order. */
  private final Map<String, List<String>> values;

  private Options(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Reads {@code args} given the options a command knows (name → help) and those of them that take no value. */
  static Options parse(String[] args, Map<String, String> known, Set<String> flags) {
    CommandLine commandLine = new CommandLine(command("command", "", known, flags));
    commandLine.setOverwrittenOptionsAllowed(true);
    try {
      return from(commandLine.parseArgs(args));
    } catch (CommandLine.ParameterException e) {
      throw new InvalidOptionException(e.getMessage() + " (see --help)");
    }
  }

  /**
   * A command of the bench's command line (picocli) taking the options {@code known} (name → help), those in
   * {@code flags} without a value; every option may repeat.
   */
  static CommandSpec command(String name, String description, Map<String, String> known, Set<String> flags) {
    CommandSpec command = CommandSpec.create().name(name).mixinStandardHelpOptions(true)
        .versionProvider(() -> new String[] {"switchboard-bench/" + Version.NUMBER});
    command.usageMessage().description(description).sortOptions(false).abbreviateSynopsis(true).width(110);
    known.forEach((option, help) -> {
      OptionSpec.Builder spec = OptionSpec.builder("--" + option).type(String.class).description(help);
      command.addOption(flags.contains(option)
          ? spec.arity("0..1").fallbackValue("true").paramLabel("true|false").build()
          : spec.paramLabel("<" + option + ">").build());
    });
    return command;
  }

  /** The options a parse of a {@link #command} matched, each with every value given, in order. */
  static Options from(ParseResult result) {
    Map<String, List<String>> values = new HashMap<>();
    for (OptionSpec option : result.matchedOptions()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        values.put(option.longestName().substring(2), List.copyOf(option.stringValues()));
      }
    }
    return new Options(values);
  }

  /** Options given in code, as a test does. */
  static Options of(Map<String, String> values) {
    Map<String, List<String>> given = new HashMap<>();
    values.forEach((name, value) -> given.put(name, List.of(value)));
    return new Options(given);
  }

  /** Adds to {@code into} and returns it: for building option tables in declaration order. */
  static Map<String, String> table(Map<String, String> into, String... nameHelp) {
    for (int i = 0; i + 1 < nameHelp.length; i += 2) {
      into.put(nameHelp[i], nameHelp[i + 1]);
    }
    return into;
  }

  static Map<String, String> table(String... nameHelp) {
    return table(new LinkedHashMap<>(), nameHelp);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The last value given of {@code name}, or null. */
  private String value(String name) {
    List<String> given = values.get(name);
    return given == null ? null : given.get(given.size() - 1);
  }

  String string(String name, String fallback) {
    String value = value(name);
    return value == null ? fallback : value;
  }

  /** Every value of a repeatable option, each split at commas: {@code --pid a=1 --pid b=2,c=3} gives a=1, b=2, c=3. */
  List<String> all(String name) {
    return values.getOrDefault(name, List.of()).stream()
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .toList();
  }

  String required(String name) {
    String value = value(name);
    if (value == null || value.isEmpty()) {
      throw new InvalidOptionException("--" + name + " is required");
    }
    return value;
  }

  boolean flag(String name) {
    String value = string(name, "false");
    if (!value.equals("true") && !value.equals("false")) {
      throw new InvalidOptionException("--" + name + ": true or false, not " + value);
    }
    return Boolean.parseBoolean(value);
  }

  int integer(String name, int fallback, int min) {
    String text = value(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim().replace("_", ""));
      if (value < min) {
        throw new InvalidOptionException("--" + name + " must be at least " + min + ", not " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidOptionException("--" + name + ": a whole number, not " + text);
    }
  }

  /** A duration: plain seconds ({@code 20}), with a unit ({@code 500ms}, {@code 20s}, {@code 2m}) or ISO-8601. */
  Duration duration(String name, Duration fallback) {
    String text = value(name);
    if (text == null) {
      return fallback;
    }
    try {
      return parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("--" + name + ": " + e.getMessage());
    }
  }

  static Duration parseDuration(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration duration;
      if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
        duration = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } else if (trimmed.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(trimmed.substring(0, trimmed.length() - 2)));
      } else if (trimmed.endsWith("s")) {
        duration = Duration.ofMillis(Math.round(Double.parseDouble(trimmed.substring(0, trimmed.length() - 1)) * 1000));
      } else if (trimmed.endsWith("m")) {
        duration = Duration.ofSeconds(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)) * 60);
      } else {
        duration = Duration.ofMillis(Math.round(Double.parseDouble(trimmed) * 1000));
      }
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a duration cannot be negative: " + text);
      }
      return duration;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("a duration such as 20, 20s, 500ms, 2m or PT20S; not " + text);
    }
  }
}
