package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** One connection of a user, as told to the presence verticle on connect and disconnect. */
public record SessionRef(String user, String session) {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("session", session);
  }

  public static SessionRef fromJson(JsonObject json) {
    return new SessionRef(json.getString("user"), json.getString("session"));
  }
}
