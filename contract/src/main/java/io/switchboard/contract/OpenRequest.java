package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A source asks to open a conversation with {@code to}. {@code context} holds the source's {@code geo} (or null)
 * and {@code attributes}: its profile overlaid by the open frame's context.
 */
public record OpenRequest(String source, String to, JsonObject context) {

  public JsonObject toJson() {
    return new JsonObject().put("source", source).put("to", to).put("context", context);
  }

  public static OpenRequest fromJson(JsonObject json) {
    return new OpenRequest(json.getString("source"), json.getString("to"),
        json.getJsonObject("context", new JsonObject()));
  }
}
