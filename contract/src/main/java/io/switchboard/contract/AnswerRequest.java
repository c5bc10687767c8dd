package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** A user's accept or decline of an offer, sent to the offer's answer address. */
public record AnswerRequest(String conversation, String user, boolean accept) {

  public JsonObject toJson() {
    return new JsonObject().put("conversation", conversation).put("user", user).put("accept", accept);
  }

  public static AnswerRequest fromJson(JsonObject json) {
    return new AnswerRequest(json.getString("conversation"), json.getString("user"), json.getBoolean("accept"));
  }
}
