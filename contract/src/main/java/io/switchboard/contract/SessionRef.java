package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * One connection of a user, on the node that holds it, as told to the presence verticle on connect and
 * disconnect; the node lets the cluster drop every session of a node that died.
 */
public record SessionRef(String user, String session, String node) {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("session", session).put("node", node);
  }

  public static SessionRef fromJson(JsonObject json) {
    return new SessionRef(json.getString("user"), json.getString("session"), json.getString("node"));
  }
}
