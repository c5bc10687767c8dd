package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A message for its recipient: {@code from} as the recipient sees it (the virtual user for a sub-user's
 * message), {@code agent} the sub-user when the virtual user reveals it, else null.
 */
public record MessageEvent(String conversation, String from, String agent, long seq, long ts, String body)
    implements UserEvent {

  static final String KIND_NAME = "message";

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("from", from)
        .put("seq", seq).put("ts", ts).put("body", body);
    if (agent != null) {
      json.put("agent", agent);
    }
    return json;
  }

  static MessageEvent fromJson(JsonObject json) {
    return new MessageEvent(json.getString("conversation"), json.getString("from"), json.getString("agent"),
        json.getLong("seq"), json.getLong("ts"), json.getString("body"));
  }
}
