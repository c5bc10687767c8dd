package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A conversation offered to a user. {@code to} is the virtual user it is offered for (or the user itself);
 * the answer goes to {@code answerAddress}.
 */
public record OfferEvent(String conversation, String from, String to, long expires, String answerAddress)
    implements UserEvent {

  static final String KIND_NAME = "offer";

  @Override
  public JsonObject toJson() {
    return new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("from", from)
        .put("to", to).put("expires", expires).put("answerAddress", answerAddress);
  }

  static OfferEvent fromJson(JsonObject json) {
    return new OfferEvent(json.getString("conversation"), json.getString("from"), json.getString("to"),
        json.getLong("expires"), json.getString("answerAddress"));
  }
}
