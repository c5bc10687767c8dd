package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** A user sets its status (never {@code offline}: that follows from its connections) and optional activity. */
public record StatusRequest(String user, Status status, String activity) {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("status", status.wire()).put("activity", activity);
  }

  public static StatusRequest fromJson(JsonObject json) {
    return new StatusRequest(json.getString("user"), Status.parse(json.getString("status")), json.getString("activity"));
  }
}
