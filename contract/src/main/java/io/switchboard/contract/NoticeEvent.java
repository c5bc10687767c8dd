package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * What a user's handling rules did (PROTOCOL.md §Notices): {@code held} (with the running count of held
 * messages), {@code released} (with how many), {@code auto-replied}, {@code dropped}, {@code transcript}.
 */
public record NoticeEvent(String action, String rule, String conversation, int count) implements UserEvent {

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
