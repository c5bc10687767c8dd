package io.switchboard.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A command's options, {@code --name value} or {@code --name=value}, checked against the options the command
 * knows. A bad value fails with a message that names the option.
 */
final class Options {

  /** Thrown for an unknown option or a bad value; the message is meant for the person running the bench. */
  static final class InvalidOptionException extends IllegalArgumentException {
    InvalidOptionException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  /** Reads {@code args} given the options a command knows (name → help) and those of them that take no value. */
  static Options parse(String[] args, Map<String, String> known, Set<String> flags) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new InvalidOptionException("unexpected argument " + arg + " (see --help)");
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (flags.contains(name)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new InvalidOptionException("--" + name + " needs a value");
      }
      if (!known.containsKey(name)) {
        throw new InvalidOptionException("unknown option --" + name + " (see --help)");
      }
      values.put(name, value);
    }
    return new Options(values);
  }

  /** Options given in code, as a test does. */
  static Options of(Map<String, String> values) {
    return new Options(new HashMap<>(values));
  }

  /** Usage text listing {@code known} under {@code first}. */
  static String usage(String first, Map<String, String> known) {
    StringBuilder text = new StringBuilder(first).append("\n\nOptions:\n");
    known.forEach((name, help) -> text.append(String.format("  --%-17s %s%n", name, help)));
    return text.toString();
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

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new InvalidOptionException("--" + name + " is required");
    }
    return value;
  }

  boolean flag(String name) {
    String value = values.getOrDefault(name, "false");
    if (!value.equals("true") && !value.equals("false")) {
      throw new InvalidOptionException("--" + name + ": true or false, not " + value);
    }
    return Boolean.parseBoolean(value);
  }

  int integer(String name, int fallback, int min) {
    String text = values.get(name);
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
    String text = values.get(name);
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
