package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * One connection of a user: the node that holds it (whose lease it lives by) and the gateway verticle that
 * delivers its events ({@link Addresses#gateway}).
 */
public record SessionRef(String user, String session, String node, String gateway) {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("session", session).put("node", node).put("gateway", gateway);
  }

  public static SessionRef fromJson(JsonObject json) {
    return new SessionRef(json.getString("user"), json.getString("session"), json.getString("node"),
        json.getString("gateway"));
  }
}
