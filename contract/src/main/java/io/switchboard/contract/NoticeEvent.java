package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * What a user's handling rules did (PROTOCOL.md §Notices): {@code held} (with the running count of held
 * messages), {@code released} (with how many), {@code auto-replied}, {@code dropped}, {@code transcript}; and
 * what a full list refused (docs/PROTOCOL.md §Bounds of waiting messages): {@link #HELD_FULL}, {@link #MAILBOX_FULL}.
 */
public record NoticeEvent(String action, String rule, String conversation, int count) implements UserEvent {

  /** The user's held messages were full: {@code count} messages refused since they were last released. */
  public static final String HELD_FULL = "held-full";
  /** The user's mailbox was full while it had no connection: {@code count} messages refused meanwhile. */
  public static final String MAILBOX_FULL = "mailbox-full";

  static final String KIND_NAME = "notice";

  @Override
  public JsonObject toJson() {
    return new JsonObject().put(KIND, KIND_NAME).put("action", action).put("rule", rule)
        .put("conversation", conversation).put("count", count);
  }

  static NoticeEvent fromJson(JsonObject json) {
    return new NoticeEvent(json.getString("action"), json.getString("rule"), json.getString("conversation"),
        json.getInteger("count"));
  }
}
