package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A party asks to close a conversation. {@code source} and {@code agent} are the conversation's parties when the
 * asking gateway knows them (null otherwise): the router then closes it in one step instead of reading it first.
 */
public record CloseRequest(String conversation, String user, String source, String agent) {

  public JsonObject toJson() {
    return new JsonObject().put("conversation", conversation).put("user", user).put("source", source)
        .put("agent", agent);
  }

  public static CloseRequest fromJson(JsonObject json) {
    return new CloseRequest(json.getString("conversation"), json.getString("user"), json.getString("source"),
        json.getString("agent"));
  }
}
