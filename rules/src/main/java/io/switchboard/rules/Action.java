package io.switchboard.rules;

import io.switchboard.rules.Verdict.Disposition;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A rule's {@code then}: what happens to the message ({@code hold}, {@code transcript}, {@code drop}, or delivery
 * when none of them is given), how the recipient is notified, and an optional automatic reply to the sender.
 *
 * <p>Valid combinations: at most one of hold, transcript and drop; {@code notify} with delivery or hold (a held
 * message is announced so when it is released), not with transcript or drop, which deliver nothing;
 * {@code autoReply} with any of them. An empty {@code then} delivers with {@code popup}: a rule that only stops
 * lower rules from applying. {@code hold} is {@code true} or {@code {"until": <duration>}}: a held message is
 * released at the latest that long after it was held.
 *
 * @param disposition what happens to the message
 * @param notifyLevel the level given, or null for the default ({@code popup} when the message is delivered)
 * @param autoReply   the text sent back to the sender, or null
 * @param holdUntil   for a hold: the longest a message stays held, or null for as long as the rule holds it
 */
public record Action(Disposition disposition, Notify notifyLevel, String autoReply, Duration holdUntil) {

  static final List<String> KEYS = List.of("notify", "hold", "transcript", "drop", "autoReply");
  static final int MAX_AUTO_REPLY = 2000;

  public Action {
    Objects.requireNonNull(disposition, "disposition");
    if (notifyLevel != null && !disposition.delivers()) {
      throw new IllegalArgumentException("notify has no effect with " + disposition.wire());
    }
    if (holdUntil != null && disposition != Disposition.HOLD) {
      throw new IllegalArgumentException("until belongs to hold");
    }
  }

  public Action(Disposition disposition, Notify notifyLevel, String autoReply) {
    this(disposition, notifyLevel, autoReply, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (holdUntil != null) {
      json.put(disposition.wire(), new JsonObject().put("until", holdUntil.toString()));
    } else if (disposition != Disposition.DELIVER) {
      json.put(disposition.wire(), true);
    }
    if (notifyLevel != null) {
      json.put("notify", notifyLevel.wire());
    }
    if (autoReply != null) {
      json.put("autoReply", autoReply);
    }
    return json;
  }

  static Action fromJson(Fields json) {
    Disposition disposition = Disposition.DELIVER;
    Duration holdUntil = null;
    if (json.value(Disposition.HOLD.wire()) instanceof JsonObject) {
      holdUntil = json.object(Disposition.HOLD.wire(), List.of("until")).duration("until");
      disposition = Disposition.HOLD;
    }
    for (Disposition exclusive : List.of(Disposition.HOLD, Disposition.TRANSCRIPT, Disposition.DROP)) {
      if (exclusive == Disposition.HOLD && holdUntil != null) {
        continue;
      }
      if (json.flag(exclusive.wire(), false)) {
        if (disposition != Disposition.DELIVER) {
          throw json.invalid(exclusive.wire(), "cannot be combined with " + disposition.wire()
              + " (hold, transcript and drop exclude each other)");
        }
        disposition = exclusive;
      }
    }
    Notify notifyLevel = null;
    if (json.has("notify")) {
      notifyLevel = json.choice("notify", Notify.values(), "a notify level (popup, silent, none)");
      if (!disposition.delivers()) {
        throw json.invalid("notify", "has no effect with " + disposition.wire() + ": nothing is delivered");
      }
    }
    String autoReply = json.optionalString("autoReply");
    if (autoReply != null && autoReply.length() > MAX_AUTO_REPLY) {
      throw json.invalid("autoReply", "is longer than " + MAX_AUTO_REPLY + " characters");
    }
    return new Action(disposition, notifyLevel, autoReply, holdUntil);
  }
}
