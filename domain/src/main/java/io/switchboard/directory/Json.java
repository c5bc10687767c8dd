package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reading definition fields with errors ({@link InvalidDefinitionException}) that name the field. */
public final class Json {

  /** Ids appear in event-bus addresses and Redis keys: no white space or control characters, and a bounded length. */
  private static final int MAX_ID_CODE_POINTS = 128;
  /** Durations are counted in milliseconds and added to time stamps; far beyond any sensible policy, and safe. */
  private static final Duration MAX_DURATION = Duration.ofDays(36_500);

  private Json() {
  }

  /**
   * Whether {@code text} is an id: 1 to 128 characters, none of them white space or a control character (as the
   * regular expression {@code [^\\s\\p{Cntrl}]{1,128}} says, checked by hand: ids are read on every routing).
   */
  public static boolean isId(String text) {
    int length = text.length();
    if (length == 0 || length > MAX_ID_CODE_POINTS && text.codePointCount(0, length) > MAX_ID_CODE_POINTS) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      // ASCII white space and control characters are all at or below the space, or DEL
      if (c <= ' ' || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** The id in {@code field}: 1 to 128 characters without white space or control characters. */
  public static String id(JsonObject json, String field) {
    return id(json, field, field);
  }

  /** The id in {@code field}, named {@code where} in an error. */
  static String id(JsonObject json, String field, String where) {
    Object value = json.getValue(field);
    if (!(value instanceof String id) || !isId(id)) {
      throw new InvalidDefinitionException(where + " must be a string of 1 to 128 characters without spaces");
    }
    return id;
  }

  static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new InvalidDefinitionException(field + " must be a string");
    }
    return (String) value;
  }

  static JsonObject optionalObject(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new InvalidDefinitionException(field + " must be an object");
    }
    return object.copy();
  }

  /** The array of ids in {@code field}. */
  public static List<String> ids(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof JsonArray array)) {
      throw new InvalidDefinitionException(field + " must be an array of ids");
    }
    List<String> ids = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String id) || !isId(id)) {
        throw new InvalidDefinitionException(field + " must be an array of ids; " + item + " is not one");
      }
      ids.add(id);
    }
    return ids;
  }

  static Duration duration(Object value, String field) {
    if (!(value instanceof String text)) {
      throw new InvalidDefinitionException(field + " must be an ISO-8601 duration such as PT1H or P1D");
    }
    try {
      Duration duration = Duration.parse(text);
      if (duration.isNegative() || duration.isZero()) {
        throw new InvalidDefinitionException(field + " must be positive, not " + text);
      }
      if (duration.compareTo(MAX_DURATION) > 0) {
        throw new InvalidDefinitionException(field + " must be at most 100 years (P36500D), not " + text);
      }
      return duration;
    } catch (DateTimeParseException e) {
      throw new InvalidDefinitionException(field + " must be an ISO-8601 duration such as PT1H or P1D, not " + text);
    }
  }
}
