package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a virtual user is open (docs/POLICY.md § Business hours): weekly windows in a time zone, and dated
 * exceptions (a holiday, a short day) that replace the weekly windows of their date. Outside them an open is
 * refused with {@code unavailable} and {@code message}, or waits in the queue until opening ({@code queue}); and
 * the virtual user's presence is {@code away}.
 */
public record Hours(ZoneId zone, Map<DayOfWeek, List<Window>> weekly, Map<LocalDate, List<Window>> exceptions,
                    boolean queueWhenClosed, String message) {

  /** From {@code start} (inclusive) to {@code end} (exclusive; midnight as {@code 24:00} ends the day). */
  public record Window(LocalTime start, LocalTime end) {
    boolean contains(LocalTime time) {
      return !time.isBefore(start) && (end == null || time.isBefore(end));
    }

    @Override
    public String toString() {
      return start + "-" + (end == null ? "24:00" : end.toString());
    }
  }

  /** How far ahead the next opening is looked for: a year of days. */
  private static final int SEARCH_DAYS = 366;
  private static final int MAX_MESSAGE = 1000;
  private static final int MAX_EXCEPTIONS = 1000;
  private static final Pattern WINDOW = Pattern.compile("(\\d\\d):(\\d\\d)-(\\d\\d):(\\d\\d)");
  private static final Map<String, DayOfWeek> DAYS = new TreeMap<>(Map.of("mon", DayOfWeek.MONDAY,
      "tue", DayOfWeek.TUESDAY, "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY,
      "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY));

  public Hours {
    weekly = Map.copyOf(weekly);
    exceptions = Map.copyOf(exceptions);
  }

  /** Whether it is open at {@code instant}. */
  public boolean isOpen(Instant instant) {
    ZonedDateTime local = instant.atZone(zone);
    return windowsOn(local.toLocalDate()).stream().anyMatch(window -> window.contains(local.toLocalTime()));
  }

  /** When it next opens at or after {@code instant} (the instant itself when open), or null within a year. */
  public Instant nextOpening(Instant instant) {
    if (isOpen(instant)) {
      return instant;
    }
    ZonedDateTime local = instant.atZone(zone);
    for (int day = 0; day <= SEARCH_DAYS; day++) {
      LocalDate date = local.toLocalDate().plusDays(day);
      for (Window window : windowsOn(date)) {
        ZonedDateTime start = date.atTime(window.start()).atZone(zone);
        if (!start.toInstant().isBefore(instant)) {
          return start.toInstant();
        }
      }
    }
    return null;
  }

  /** Why an open is refused now: the configured message, or when it opens next. */
  public String closedMessage(String virtualUser, Instant now) {
    if (message != null) {
      return message;
    }
    Instant opening = nextOpening(now);
    return virtualUser + " is closed now" + (opening == null ? "" : "; it opens at " + opening.atZone(zone));
  }

  private List<Window> windowsOn(LocalDate date) {
    List<Window> exception = exceptions.get(date);
    return exception != null ? exception : weekly.getOrDefault(date.getDayOfWeek(), List.of());
  }

  public JsonObject toJson() {
    JsonObject days = new JsonObject();
    DAYS.forEach((name, day) -> {
      if (weekly.containsKey(day)) {
        days.put(name, windows(weekly.get(day)));
      }
    });
    JsonArray dated = new JsonArray();
    new TreeMap<>(exceptions).forEach((date, windows) ->
        dated.add(new JsonObject().put("date", date.toString()).put("windows", windows(windows))));
    JsonObject json = new JsonObject().put("zone", zone.getId()).put("weekly", days).put("exceptions", dated)
        .put("whenClosed", queueWhenClosed ? "queue" : "refuse");
    return message == null ? json : json.put("message", message);
  }

  private static JsonArray windows(List<Window> windows) {
    JsonArray array = new JsonArray();
    windows.forEach(window -> array.add(window.toString()));
    return array;
  }

  static Hours fromJson(Object value) {
    if (!(value instanceof JsonObject json)) {
      throw new InvalidDefinitionException("hours must be an object with zone and weekly");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(String.valueOf(json.getValue("zone")));
    } catch (DateTimeException e) {
      throw new InvalidDefinitionException("hours.zone must be a time zone such as Asia/Shanghai or UTC, not "
          + json.getValue("zone"));
    }
    if (!(json.getValue("weekly") instanceof JsonObject days)) {
      throw new InvalidDefinitionException("hours.weekly must be an object such as {\"mon\":[\"09:00-18:00\"]}");
    }
    Map<DayOfWeek, List<Window>> weekly = new EnumMap<>(DayOfWeek.class);
    for (String name : days.fieldNames()) {
      DayOfWeek day = DAYS.get(name.toLowerCase(Locale.ROOT));
      if (day == null) {
        throw new InvalidDefinitionException("hours.weekly may name mon, tue, wed, thu, fri, sat, sun; not " + name);
      }
      weekly.put(day, windows(days.getValue(name), "hours.weekly." + name));
    }
    Map<LocalDate, List<Window>> exceptions = new TreeMap<>();
    Object dated = json.getValue("exceptions");
    if (dated != null) {
      if (!(dated instanceof JsonArray array) || array.size() > MAX_EXCEPTIONS) {
        throw new InvalidDefinitionException("hours.exceptions must be an array of at most " + MAX_EXCEPTIONS
            + " {\"date\":\"2026-10-01\",\"windows\":[]}");
      }
      for (int i = 0; i < array.size(); i++) {
        String where = "hours.exceptions[" + i + "]";
        if (!(array.getValue(i) instanceof JsonObject exception)) {
          throw new InvalidDefinitionException(where + " must be an object with date and windows");
        }
        LocalDate date;
        try {
          date = LocalDate.parse(String.valueOf(exception.getValue("date")));
        } catch (DateTimeParseException e) {
          throw new InvalidDefinitionException(where + ".date must be a date such as 2026-10-01, not "
              + exception.getValue("date"));
        }
        if (exceptions.put(date, windows(exception.getValue("windows", new JsonArray()), where + ".windows")) != null) {
          throw new InvalidDefinitionException(where + ".date " + date + " is given twice");
        }
      }
    }
    Object whenClosed = json.getValue("whenClosed", "refuse");
    if (!"refuse".equals(whenClosed) && !"queue".equals(whenClosed)) {
      throw new InvalidDefinitionException("hours.whenClosed must be refuse or queue, not " + whenClosed);
    }
    Object message = json.getValue("message");
    if (message != null && (!(message instanceof String text) || text.isBlank() || text.length() > MAX_MESSAGE)) {
      throw new InvalidDefinitionException("hours.message must be a text of 1 to " + MAX_MESSAGE + " characters");
    }
    return new Hours(zone, weekly, exceptions, "queue".equals(whenClosed), (String) message);
  }

  private static List<Window> windows(Object value, String where) {
    if (!(value instanceof JsonArray array) || array.size() > 24) {
      throw new InvalidDefinitionException(where + " must be an array of at most 24 windows such as \"09:00-18:00\"");
    }
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      windows.add(window(array.getValue(i), where + "[" + i + "]"));
    }
    return windows;
  }

  private static Window window(Object value, String where) {
    Matcher matcher = value instanceof String text ? WINDOW.matcher(text) : null;
    if (matcher == null || !matcher.matches()) {
      throw new InvalidDefinitionException(where + " must be a window such as \"09:00-18:00\", not " + value);
    }
    try {
      LocalTime start = LocalTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
      boolean midnight = "24".equals(matcher.group(3)) && "00".equals(matcher.group(4));
      LocalTime end = midnight ? null : LocalTime.of(Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)));
      if (end != null && !end.isAfter(start)) {
        throw new InvalidDefinitionException(where + " must end after it starts, not " + value);
      }
      return new Window(start, end);
    } catch (DateTimeException e) {
      throw new InvalidDefinitionException(where + " must be a window such as \"09:00-18:00\", not " + value);
    }
  }
}
