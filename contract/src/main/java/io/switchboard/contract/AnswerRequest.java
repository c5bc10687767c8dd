package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A user's accept or decline of an offer, sent to the offer's answer address by the gateway of the connection
 * that answered ({@code gateway}): the user's other connections are told the offer is gone.
 */
public record AnswerRequest(String conversation, String user, boolean accept, String gateway) {

  public JsonObject toJson() {
    return new JsonObject().put("conversation", conversation).put("user", user).put("accept", accept)
        .put("gateway", gateway);
  }

  public static AnswerRequest fromJson(JsonObject json) {
    return new AnswerRequest(json.getString("conversation"), json.getString("user"), json.getBoolean("accept"),
        json.getString("gateway"));
  }
}
