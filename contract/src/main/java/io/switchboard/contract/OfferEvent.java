package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A conversation offered to a user. {@code to} is the virtual user it is offered for (or the user itself);
 * the answer goes to {@code answerAddress}, the router of node {@code router}: if that node is evicted, the offer is
 * gone. {@code transfer} is set when an agent hands on a conversation already open (null for an open).
 */
public record OfferEvent(String conversation, String from, String to, long expires, String answerAddress, String router,
                         Transfer transfer) implements UserEvent {

  static final String KIND_NAME = "offer";

  /** Who handed the conversation on, and the note it left for the new member (may be null). */
  public record Transfer(String from, String note) {
    public JsonObject toJson() {
      return new JsonObject().put("from", from).put("note", note);
    }
  }

  /** The offer of an open. */
  public OfferEvent(String conversation, String from, String to, long expires, String answerAddress, String router) {
    this(conversation, from, to, expires, answerAddress, router, null);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("from", from)
        .put("to", to).put("expires", expires).put("answerAddress", answerAddress).put("router", router);
    if (transfer != null) {
      json.put("transfer", transfer.toJson());
    }
    return json;
  }

  static OfferEvent fromJson(JsonObject json) {
    JsonObject transfer = json.getJsonObject("transfer");
    return new OfferEvent(json.getString("conversation"), json.getString("from"), json.getString("to"),
        json.getLong("expires"), json.getString("answerAddress"), json.getString("router"),
        transfer == null ? null : new Transfer(transfer.getString("from"), transfer.getString("note")));
  }
}
