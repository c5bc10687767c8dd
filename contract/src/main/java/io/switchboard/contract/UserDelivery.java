package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** An event for every session of {@code user} that the receiving gateway holds. */
public record UserDelivery(String user, UserEvent event) implements GatewayMessage {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("event", event.toJson());
  }

  static UserDelivery fromJson(JsonObject json) {
    return new UserDelivery(json.getString("user"), UserEvent.fromJson(json.getJsonObject("event")));
  }
}
