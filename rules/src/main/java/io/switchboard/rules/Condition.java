package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rule's {@code when}: every part given must hold, and an empty condition holds for every message. Parts that
 * are not given are null.
 *
 * @param content           the message's text ({@link ContentMatch})
 * @param from              the sender is one of these user ids
 * @param fromVirtual       whether the sender must (true) or must not (false) be a virtual user
 * @param status            the recipient's status is one of these
 * @param activity          the recipient's activity is one of these, e.g. {@code presenting}
 * @param time              the message arrives in this window of the document's time zone
 * @param closingSentWithin {@code conversation.closingSentWithin}: the recipient sent a closing in this
 *                          conversation at most this long before the message
 * @param not               this condition does not hold
 * @param any               at least one of these holds
 */
public record Condition(ContentMatch content, List<String> from, Boolean fromVirtual, List<String> status,
                        List<String> activity, TimeWindow time, Duration closingSentWithin, Condition not,
                        List<Condition> any) {

  static final List<String> KEYS =
      List.of("content", "from", "fromVirtual", "status", "activity", "time", "conversation", "not", "any");
  /** The longest activity a client may report (docs/PROTOCOL.md §Presence), so every activity can be matched. */
  public static final int MAX_ACTIVITY_CHARS = 256;
  static final Set<String> STATUSES = Set.of("online", "busy", "away", "offline");
  static final String STATUS_LIST = "a status (online, busy, away, offline)";

  public static final Condition ALWAYS = new Condition(null, null, null, null, null, null, null, null, null);

  public Condition {
    from = copy(from);
    status = copy(status);
    activity = copy(activity);
    any = copy(any);
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? null : List.copyOf(list);
  }

  /**
   * Whether the message, as its recipient sees it, satisfies this condition. The parts on the context are tested
   * before the text, because they are cheaper and usually decide.
   */
  boolean test(Facts facts) {
    IncomingMessage message = facts.message();
    RecipientState recipient = facts.recipient();
    return (from == null || from.contains(message.sender()))
        && (fromVirtual == null || fromVirtual == message.senderIsVirtual())
        && (status == null || status.contains(recipient.status()))
        && (activity == null || recipient.activity() != null && activity.contains(recipient.activity()))
        && (time == null || time.contains(message.at(), facts.zone()))
        && (closingSentWithin == null || closingSentWithin(message, recipient))
        && (content == null || content.matches(facts.text()))
        && (not == null || !not.test(facts))
        && (any == null || any.stream().anyMatch(condition -> condition.test(facts)));
  }

  /** What the content parts of this condition and those nested in it cost per character read ({@link ContentCost}). */
  long contentCost() {
    return (content == null ? 0 : content.cost()) + (not == null ? 0 : not.contentCost())
        + (any == null ? 0 : any.stream().mapToLong(Condition::contentCost).sum());
  }

  /** Whether the content part of this condition, which must hold whatever else does, holds for this text. */
  boolean contentMayHold(MessageText text) {
    return content == null || content.matches(text);
  }

  /**
   * Whether this condition, or one nested in it, reads the recipient's status, its activity or the time: the parts
   * that change while a message waits, so that a hold on them can end.
   */
  boolean readsPresenceOrTime() {
    return status != null || activity != null || time != null
        || not != null && not.readsPresenceOrTime()
        || any != null && any.stream().anyMatch(Condition::readsPresenceOrTime);
  }

  /** The time windows of this condition and those nested in it. */
  List<TimeWindow> timeWindows() {
    List<TimeWindow> windows = new ArrayList<>();
    if (time != null) {
      windows.add(time);
    }
    if (not != null) {
      windows.addAll(not.timeWindows());
    }
    if (any != null) {
      any.forEach(condition -> windows.addAll(condition.timeWindows()));
    }
    return windows;
  }

  private boolean closingSentWithin(IncomingMessage message, RecipientState recipient) {
    Long sent = recipient.lastClosingSent().get(message.conversation());
    // A closing stamped a little after the message (clocks of two nodes) still counts as recent.
    return sent != null && message.at() - sent <= closingSentWithin.toMillis();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (content != null) {
      json.put("content", content.toJson());
    }
    putList(json, "from", from);
    if (fromVirtual != null) {
      json.put("fromVirtual", fromVirtual);
    }
    putList(json, "status", status);
    putList(json, "activity", activity);
    if (time != null) {
      json.put("time", time.toJson());
    }
    if (closingSentWithin != null) {
      json.put("conversation", new JsonObject().put("closingSentWithin", closingSentWithin.toString()));
    }
    if (not != null) {
      json.put("not", not.toJson());
    }
    if (any != null) {
      json.put("any", new JsonArray(any.stream().map(Condition::toJson).toList()));
    }
    return json;
  }

  private static void putList(JsonObject json, String key, List<String> list) {
    if (list != null) {
      json.put(key, new JsonArray(new ArrayList<>(list)));
    }
  }

  static Condition fromJson(Fields json) {
    Fields content = json.optionalObject("content", ContentMatch.KEYS);
    Fields time = json.optionalObject("time", TimeWindow.KEYS);
    Fields conversation = json.optionalObject("conversation", List.of("closingSentWithin"));
    Fields not = json.optionalObject("not", KEYS);
    List<Fields> any = json.objects("any", KEYS);
    if (json.has("any") && any.isEmpty()) {
      throw json.invalid("any", "must be a non-empty array of conditions");
    }
    return new Condition(
        content == null ? null : ContentMatch.fromJson(content),
        json.has("from") ? json.strings("from", Fields::isId, Fields.AN_ID) : null,
        json.optionalFlag("fromVirtual"),
        json.has("status") ? json.strings("status", STATUSES::contains, STATUS_LIST) : null,
        json.has("activity") ? json.strings("activity",
            activity -> !activity.isBlank() && activity.length() <= MAX_ACTIVITY_CHARS,
            "an activity (1 to " + MAX_ACTIVITY_CHARS + " characters)") : null,
        time == null ? null : TimeWindow.fromJson(time),
        conversation == null ? null : conversation.duration("closingSentWithin"),
        not == null ? null : fromJson(not),
        json.has("any") ? any.stream().map(Condition::fromJson).toList() : null);
  }
}
