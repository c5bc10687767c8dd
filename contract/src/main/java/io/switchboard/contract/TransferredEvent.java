package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * The source's conversation was handed to another member: {@code to} is who the source now talks with (a virtual
 * user, or a common user), {@code agent} the new member when {@code to} reveals it, else null. {@code moved} is the
 * whole conversation as it now is, so the gateways of the source follow it without reading it.
 */
public record TransferredEvent(String conversation, String to, String agent, JsonObject moved) implements UserEvent {

  static final String KIND_NAME = "transferred";

  @Override
  public JsonObject toJson() {
    return new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("to", to).put("agent", agent)
        .put("moved", moved);
  }

  static TransferredEvent fromJson(JsonObject json) {
    return new TransferredEvent(json.getString("conversation"), json.getString("to"), json.getString("agent"),
        json.getJsonObject("moved"));
  }
}
