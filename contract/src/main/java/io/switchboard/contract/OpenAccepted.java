package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * The router's immediate answer to an {@link OpenRequest}: the node routing it, so the gateway can fail the
 * request fast if that node is evicted before the outcome comes.
 */
public record OpenAccepted(String node) {

  public JsonObject toJson() {
    return new JsonObject().put("node", node);
  }

  public static OpenAccepted fromJson(JsonObject json) {
    return new OpenAccepted(json.getString("node"));
  }
}
