package io.switchboard.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.switchboard.rules.Fixtures.message;
import static io.switchboard.rules.Fixtures.online;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Time conditions, read in the document's time zone. 17 January 2025 is a Friday; Berlin is then UTC+1. */
class TimeWindowTest {

  private static boolean holdsAt(String zone, String time, String utc) {
    RulesDocument rules = Fixtures.rules("{'timeZone': '" + zone + "', 'rules': [{'id': 'r', 'when': {'time': "
        + time + "}, 'then': {'notify': 'silent'}}]}");
    return RulesEngine.decide(rules, message("hi", Instant.parse(utc).toEpochMilli()), online()).rule() != null;
  }

  @Test
  void aWindowWithinOneDayIncludesItsStartAndExcludesItsEnd() {
    String office = "{'from': '09:00', 'to': '17:00'}";
    assertFalse(holdsAt("Europe/Berlin", office, "2025-01-17T07:59:00Z"));
    assertTrue(holdsAt("Europe/Berlin", office, "2025-01-17T08:00:00Z"));
    assertTrue(holdsAt("Europe/Berlin", office, "2025-01-17T15:59:00Z"));
    assertFalse(holdsAt("Europe/Berlin", office, "2025-01-17T16:00:00Z"));
  }

  @Test
  void aWindowWrapsMidnight() {
    String night = "{'from': '22:00', 'to': '07:00'}";
    assertTrue(holdsAt("Europe/Berlin", night, "2025-01-17T21:30:00Z")); // 22:30
    assertTrue(holdsAt("Europe/Berlin", night, "2025-01-17T23:30:00Z")); // 00:30
    assertTrue(holdsAt("Europe/Berlin", night, "2025-01-18T05:59:00Z")); // 06:59
    assertFalse(holdsAt("Europe/Berlin", night, "2025-01-18T06:00:00Z")); // 07:00
    assertFalse(holdsAt("Europe/Berlin", night, "2025-01-17T20:59:00Z")); // 21:59
  }

  @Test
  void theTimeIsReadInTheDocumentsZone() {
    String night = "{'from': '22:00', 'to': '07:00'}";
    // 23:30 UTC is 00:30 in Berlin and 18:30 in New York
    assertTrue(holdsAt("Europe/Berlin", night, "2025-01-17T23:30:00Z"));
    assertFalse(holdsAt("America/New_York", night, "2025-01-17T23:30:00Z"));
  }

  @Test
  void theZoneFollowsDaylightSavingTime() {
    String morning = "{'from': '09:00', 'to': '10:00'}";
    // 09:30 in Berlin: 08:30 UTC in winter, 07:30 UTC in summer
    assertTrue(holdsAt("Europe/Berlin", morning, "2025-01-17T08:30:00Z"));
    assertTrue(holdsAt("Europe/Berlin", morning, "2025-07-17T07:30:00Z"));
    assertFalse(holdsAt("Europe/Berlin", morning, "2025-07-17T08:30:00Z"));
  }

  @Test
  void daysAloneSelectWholeDaysInTheZone() {
    String weekend = "{'days': ['sat', 'sun']}";
    assertFalse(holdsAt("Europe/Berlin", weekend, "2025-01-17T22:59:00Z")); // Friday 23:59
    assertTrue(holdsAt("Europe/Berlin", weekend, "2025-01-17T23:00:00Z")); // Saturday 00:00
    assertTrue(holdsAt("Europe/Berlin", weekend, "2025-01-19T22:59:00Z")); // Sunday 23:59
    assertFalse(holdsAt("Europe/Berlin", weekend, "2025-01-19T23:00:00Z")); // Monday 00:00
  }

  @Test
  void theHoursAfterMidnightBelongToTheDayTheWindowBegan() {
    String fridayNight = "{'from': '22:00', 'to': '07:00', 'days': ['fri']}";
    assertTrue(holdsAt("Europe/Berlin", fridayNight, "2025-01-17T22:00:00Z")); // Friday 23:00
    assertTrue(holdsAt("Europe/Berlin", fridayNight, "2025-01-18T01:00:00Z")); // Saturday 02:00
    assertFalse(holdsAt("Europe/Berlin", fridayNight, "2025-01-17T01:00:00Z")); // Friday 02:00: Thursday's night
    assertFalse(holdsAt("Europe/Berlin", fridayNight, "2025-01-18T22:00:00Z")); // Saturday 23:00
  }

  @Test
  void aWindowEndingAtMidnightIsWrittenToZero() {
    String evening = "{'from': '18:00', 'to': '00:00'}";
    assertTrue(holdsAt("Europe/Berlin", evening, "2025-01-17T22:59:00Z")); // 23:59
    assertFalse(holdsAt("Europe/Berlin", evening, "2025-01-17T23:00:00Z")); // 00:00
  }
}
