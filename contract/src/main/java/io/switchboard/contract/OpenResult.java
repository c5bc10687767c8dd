package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** The conversation an {@link OpenRequest} opened; {@code agent} is null unless the virtual user reveals it. */
public record OpenResult(String conversation, String to, String agent) {

  public JsonObject toJson() {
    return new JsonObject().put("conversation", conversation).put("to", to).put("agent", agent);
  }

  public static OpenResult fromJson(JsonObject json) {
    return new OpenResult(json.getString("conversation"), json.getString("to"), json.getString("agent"));
  }
}
