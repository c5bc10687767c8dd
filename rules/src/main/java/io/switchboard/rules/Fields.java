package io.switchboard.rules;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The fields of one JSON object of a rules document being read, at its path in the document. Every reader
 * reports problems through here, so every message names its path the same way, and unknown keys are refused
 * everywhere: a misspelt key would otherwise be a condition that silently never applies.
 */
final class Fields {

  /** Objects nest at most this deep (conditions, through not and any); deeper is refused, not recursed into. */
  static final int MAX_DEPTH = 24;
  /** Activations are added to time stamps in milliseconds: far beyond any sensible period, and safe from overflow. */
  static final Duration MAX_DURATION = Duration.ofDays(3650);

  /** Ids as the directory writes them: no white space or control characters, at most 128 characters. */
  private static final Pattern ID = Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");
  static final String AN_ID = "an id (1 to 128 characters without spaces)";

  private final JsonObject json;
  private final String path;
  private final int depth;
  final Budget budget;

  private Fields(JsonObject json, String path, int depth, Budget budget, List<String> keys) {
    this.json = json;
    this.path = path;
    this.depth = depth;
    this.budget = budget;
    if (depth > MAX_DEPTH) {
      throw new InvalidRulesException(path, "nested too deeply (at most " + MAX_DEPTH + " levels)");
    }
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw invalid(key, "unknown key; expected one of " + String.join(", ", keys));
      }
    }
  }

  /** The document itself; {@code keys} are the keys it may have, in the order error messages list them. */
  static Fields root(JsonObject json, List<String> keys) {
    return new Fields(json, "", 0, new Budget(), keys);
  }

  /** Quotes a value as JSON, so a message shows {@code "25:00"} and {@code 25} differently. */
  static String show(Object value) {
    return Json.encode(value);
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  InvalidRulesException invalid(String key, String problem) {
    return new InvalidRulesException(path(key), problem);
  }

  /** Whether the key is given; an explicit JSON null counts as not given. */
  boolean has(String key) {
    return json.getValue(key) != null;
  }

  Object value(String key) {
    return json.getValue(key);
  }

  Fields object(String key, List<String> keys) {
    Fields object = optionalObject(key, keys);
    if (object == null) {
      throw invalid(key, "is required");
    }
    return object;
  }

  Fields optionalObject(String key, List<String> keys) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw invalid(key, "must be an object");
    }
    return new Fields(object, path(key), depth + 1, budget, keys);
  }

  /** An array of objects; absent reads as empty. */
  List<Fields> objects(String key, List<String> keys) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(key, "must be an array of objects");
    }
    List<Fields> objects = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String at = path(key) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject object)) {
        throw new InvalidRulesException(at, "must be an object");
      }
      objects.add(new Fields(object, at, depth + 1, budget, keys));
    }
    return objects;
  }

  String string(String key) {
    String text = optionalString(key);
    if (text == null) {
      throw invalid(key, "is required");
    }
    return text;
  }

  String optionalString(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw invalid(key, "must be a non-empty string, not " + show(value));
    }
    return text;
  }

  static boolean isId(String text) {
    return ID.matcher(text).matches();
  }

  String id(String key) {
    String id = string(key);
    if (!isId(id)) {
      throw invalid(key, show(id) + " is not " + AN_ID);
    }
    return id;
  }

  /**
   * A non-empty array of strings each of which is {@code valid}; {@code what} completes "… is not" in the
   * message for an item that is not, e.g. {@code "a status (online, busy, away, offline)"}.
   */
  List<String> strings(String key, Predicate<String> valid, String what) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw invalid(key, "must be a non-empty array of strings");
    }
    List<String> strings = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String text) || !valid.test(text)) {
        throw new InvalidRulesException(path(key) + "[" + i + "]", show(item) + " is not " + what);
      }
      strings.add(text);
    }
    return strings;
  }

  /** How an enum constant is spelt in JSON: its name in lower case. */
  static String wire(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** One of {@code values} by its {@link #wire} spelling; required. {@code what} completes "… is not". */
  <E extends Enum<E>> E choice(String key, E[] values, String what) {
    Object value = json.getValue(key);
    if (value == null) {
      throw invalid(key, "is required");
    }
    for (E constant : values) {
      if (wire(constant).equals(value)) {
        return constant;
      }
    }
    throw invalid(key, show(value) + " is not " + what);
  }

  boolean flag(String key, boolean fallback) {
    return typed(key, Boolean.class, fallback, "true or false");
  }

  Boolean optionalFlag(String key) {
    return typed(key, Boolean.class, null, "true or false");
  }

  int integer(String key, int fallback) {
    return typed(key, Integer.class, fallback, "a whole number");
  }

  /** The value of {@code key} if it is a {@code type}, {@code fallback} if it is not given. */
  private <T> T typed(String key, Class<T> type, T fallback, String what) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!type.isInstance(value)) {
      throw invalid(key, "must be " + what + ", not " + show(value));
    }
    return type.cast(value);
  }

  /** A positive ISO-8601 duration such as {@code PT10M}; required. */
  Duration duration(String key) {
    Object value = json.getValue(key);
    String problem = show(value) + " is not an ISO-8601 duration such as PT10M or P1D";
    if (!(value instanceof String text)) {
      throw invalid(key, value == null ? "is required" : problem);
    }
    Duration duration;
    try {
      duration = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(key, problem);
    }
    if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
      throw invalid(key, show(value) + " must be positive and at most P3650D");
    }
    return duration;
  }

  /**
   * What the content conditions of one document may cost at each message. Matching is linear in the message's
   * length, but also in the size of the patterns, and a node serves many users: the sizes are bounded per
   * document, not only per field, so that no document can make a single message expensive.
   */
  static final class Budget {
    /** Estimated RE2/J program size of all regexes together (see {@link RegexSize}). */
    static final int REGEX_UNITS = 200;
    /** Characters of all keywords together. */
    static final int KEYWORD_CHARS = 2000;

    private long regexUnits;
    private long keywordChars;

    void spendRegex(long units, String path) {
      regexUnits += units;
      if (regexUnits > REGEX_UNITS) {
        throw new InvalidRulesException(path, "the document's regular expressions are too large together ("
            + regexUnits + " units, at most " + REGEX_UNITS + "; a counted repetition such as {100} multiplies)");
      }
    }

    void spendKeywords(long chars, String path) {
      keywordChars += chars;
      if (keywordChars > KEYWORD_CHARS) {
        throw new InvalidRulesException(path, "the document's keywords are too long together ("
            + keywordChars + " characters, at most " + KEYWORD_CHARS + ")");
      }
    }
  }
}
