package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A source asks to open a conversation with {@code to}. {@code context} holds the source's {@code geo} (or null)
 * and {@code attributes}: its profile overlaid by the open frame's context. The outcome goes to the gateway
 * {@code gateway} as an {@link OpenOutcome} for {@code request}, a key unique on that gateway.
 */
public record OpenRequest(String source, String to, JsonObject context, String gateway, String request) {

  public JsonObject toJson() {
    return new JsonObject().put("source", source).put("to", to).put("context", context).put("gateway", gateway)
        .put("request", request);
  }

  public static OpenRequest fromJson(JsonObject json) {
    return new OpenRequest(json.getString("source"), json.getString("to"),
        json.getJsonObject("context", new JsonObject()), json.getString("gateway"), json.getString("request"));
  }
}
