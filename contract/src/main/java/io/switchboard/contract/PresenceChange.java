package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** The status of a user or (aggregated) virtual user, as published on {@link Addresses#PRESENCE_CHANGED}. */
public record PresenceChange(String user, String status, boolean virtual) {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("status", status).put("virtual", virtual);
  }

  public static PresenceChange fromJson(JsonObject json) {
    return new PresenceChange(json.getString("user"), json.getString("status"), json.getBoolean("virtual", false));
  }
}
