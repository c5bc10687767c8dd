package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** A party asks to close a conversation. */
public record CloseRequest(String conversation, String user) {

  public JsonObject toJson() {
    return new JsonObject().put("conversation", conversation).put("user", user);
  }

  public static CloseRequest fromJson(JsonObject json) {
    return new CloseRequest(json.getString("conversation"), json.getString("user"));
  }
}
