package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An activation: {@code {"id", "on": <trigger>, "activate": [<rule ids>], "for": <duration>}}. A rule named by
 * any activation is active only during {@code for} after one of its triggers; a rule named by none is always
 * active.
 *
 * @param id       unique among the document's activations
 * @param on       the trigger
 * @param activate the ids of the rules it activates, each a rule of the document
 * @param duration {@code for}: how long they stay active after the trigger
 */
public record ActivationRule(String id, Trigger on, List<String> activate, Duration duration) {

  static final List<String> KEYS = List.of("id", "on", "activate", "for");

  public ActivationRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(on, "on");
    activate = List.copyOf(activate);
    Objects.requireNonNull(duration, "duration");
  }

  /** What the user did. */
  public enum Event {
    /** The user sent a message (matching {@link Trigger#content}, if given). */
    SENT,
    /** The user's status became one of {@link Trigger#statuses}. */
    STATUS,
    /** A conversation of the user closed. */
    CLOSED
  }

  /**
   * {@code {"event": "sent", "content": {…}}}, {@code {"event": "status", "status": ["busy", …]}} or
   * {@code {"event": "closed"}}.
   *
   * @param event    what the user did
   * @param content  for {@code sent}: what the sent message must match; null for any message
   * @param statuses for {@code status}: the statuses that trigger; null for other events
   */
  public record Trigger(Event event, ContentMatch content, List<String> statuses) {

    static final List<String> KEYS = List.of("event", "content", "status");
    /** The key each event takes besides {@code event}; the others are refused. */
    private static final Map<Event, String> OWN_KEY = Map.of(Event.SENT, "content", Event.STATUS, "status");

    public Trigger {
      Objects.requireNonNull(event, "event");
      statuses = statuses == null ? null : List.copyOf(statuses);
    }

    boolean firesOnSent(MessageText sent) {
      return event == Event.SENT && (content == null || content.matches(sent));
    }

    boolean firesOnStatus(String status) {
      return event == Event.STATUS && statuses.contains(status);
    }

    boolean firesOnClosed() {
      return event == Event.CLOSED;
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("event", Fields.wire(event));
      if (content != null) {
        json.put("content", content.toJson());
      }
      if (statuses != null) {
        json.put("status", new JsonArray(new ArrayList<>(statuses)));
      }
      return json;
    }

    static Trigger fromJson(Fields json) {
      Event event = json.choice("event", Event.values(), "an event (sent, status, closed)");
      for (String key : List.of("content", "status")) {
        if (json.has(key) && !key.equals(OWN_KEY.get(event))) {
          throw json.invalid(key, "does not belong to event " + Fields.show(Fields.wire(event)));
        }
      }
      Fields content = json.optionalObject("content", ContentMatch.KEYS);
      return new Trigger(event, content == null ? null : ContentMatch.fromJson(content),
          event == Event.STATUS ? json.strings("status", Condition.STATUSES::contains, Condition.STATUS_LIST) : null);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("on", on.toJson())
        .put("activate", new JsonArray(new ArrayList<>(activate))).put("for", duration.toString());
  }

  static ActivationRule fromJson(Fields json) {
    return new ActivationRule(json.id("id"), Trigger.fromJson(json.object("on", Trigger.KEYS)),
        json.strings("activate", Fields::isId, Fields.AN_ID), json.duration("for"));
  }
}
