package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A time condition {@code {"from": "22:00", "to": "07:00", "days": ["fri"]}} in the document's time zone:
 * {@code from} inclusive, {@code to} exclusive; a window whose {@code to} is earlier than its {@code from} wraps
 * midnight. Its after-midnight part belongs to the day the window began, so "fri 22:00–07:00" holds on
 * Saturday at 02:00 and not on Friday at 02:00. Without {@code from} and {@code to} the window is the whole of
 * each day in {@code days}; without {@code days}, every day.
 *
 * @param from null for the whole day
 * @param to   null for the whole day
 * @param days empty for every day
 */
public record TimeWindow(LocalTime from, LocalTime to, Set<DayOfWeek> days) {

  static final List<String> KEYS = List.of("from", "to", "days");
  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

  public TimeWindow {
    if ((from == null) != (to == null) || from != null && from.equals(to)) {
      throw new IllegalArgumentException("a time window needs both from and to, different, or neither");
    }
    days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
  }

  /** Whether the instant {@code epochMillis} falls in this window in {@code zone}. */
  public boolean contains(long epochMillis, ZoneId zone) {
    ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(zone);
    LocalTime time = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (from != null) {
      boolean wraps = to.isBefore(from);
      boolean inside = wraps ? !time.isBefore(from) || time.isBefore(to) : !time.isBefore(from) && time.isBefore(to);
      if (!inside) {
        return false;
      }
      if (wraps && time.isBefore(to)) {
        day = day.minus(1);
      }
    }
    return days.isEmpty() || days.contains(day);
  }

  /**
   * The first instant after {@code epochMillis} at which {@link #contains} may change in {@code zone}: the next
   * {@code from}, {@code to} or midnight (where a day of {@code days} begins or ends), whichever comes first.
   */
  public long nextBoundary(long epochMillis, ZoneId zone) {
    ZonedDateTime now = Instant.ofEpochMilli(epochMillis).atZone(zone);
    List<LocalTime> times = new ArrayList<>(List.of(LocalTime.MIDNIGHT));
    if (from != null) {
      times.add(from);
      times.add(to);
    }
    long next = Long.MAX_VALUE;
    for (int day = 0; day <= 1; day++) {
      for (LocalTime time : times) {
        long at = ZonedDateTime.of(now.toLocalDate().plusDays(day), time, zone).toInstant().toEpochMilli();
        if (at > epochMillis) {
          next = Math.min(next, at);
        }
      }
    }
    return next;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (from != null) {
      json.put("from", from.toString()).put("to", to.toString());
    }
    if (!days.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (DayOfWeek day : DayOfWeek.values()) {
        if (days.contains(day)) {
          names.add(dayName(day));
        }
      }
      json.put("days", new JsonArray(names));
    }
    return json;
  }

  static TimeWindow fromJson(Fields json) {
    if (json.has("from") != json.has("to")) {
      throw json.invalid(json.has("from") ? "to" : "from", "is required with " + (json.has("from") ? "from" : "to"));
    }
    if (!json.has("from") && !json.has("days")) {
      throw new InvalidRulesException(json.path(), "needs from and to, or days, or both");
    }
    LocalTime from = json.has("from") ? time(json, "from") : null;
    LocalTime to = json.has("to") ? time(json, "to") : null;
    if (from != null && from.equals(to)) {
      throw json.invalid("to", "equals from: the window would be empty; leave both out for the whole day");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    if (json.has("days")) {
      for (String name : json.strings("days", name -> day(name) != null, "a day (mon, tue, wed, thu, fri, sat, sun)")) {
        days.add(day(name));
      }
    }
    return new TimeWindow(from, to, days);
  }

  private static LocalTime time(Fields json, String key) {
    Object value = json.value(key);
    if (!(value instanceof String text) || !HH_MM.matcher(text).matches()) {
      throw json.invalid(key, Fields.show(value) + " is not a time HH:mm");
    }
    return LocalTime.parse(text);
  }

  private static String dayName(DayOfWeek day) {
    return day.name().substring(0, 3).toLowerCase(Locale.ROOT);
  }

  private static DayOfWeek day(String name) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (dayName(day).equals(name)) {
        return day;
      }
    }
    return null;
  }
}
