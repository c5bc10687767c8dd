package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code user}, the agent of {@code conversation}, hands it to {@code to} (a user or a virtual user) with an optional
 * {@code note} for the new member. The outcome goes to the gateway {@code gateway} as an {@link OpenOutcome} for
 * {@code request}, a key unique on that gateway.
 */
public record TransferRequest(String conversation, String user, String to, String note, String gateway,
                              String request) {

  public JsonObject toJson() {
    return new JsonObject().put("conversation", conversation).put("user", user).put("to", to).put("note", note)
        .put("gateway", gateway).put("request", request);
  }

  public static TransferRequest fromJson(JsonObject json) {
    return new TransferRequest(json.getString("conversation"), json.getString("user"), json.getString("to"),
        json.getString("note"), json.getString("gateway"), json.getString("request"));
  }
}
