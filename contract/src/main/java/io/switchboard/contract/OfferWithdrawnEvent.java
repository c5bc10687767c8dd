package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * An offer is gone before this connection answered it: it timed out, another connection of the same user
 * answered it, or the source gave up or left ({@code reason}: {@code timeout}, {@code answered}, {@code cancelled}).
 */
public record OfferWithdrawnEvent(String conversation, String reason) implements UserEvent {

  public static final String TIMEOUT = "timeout";
  public static final String ANSWERED = "answered";
  public static final String CANCELLED = "cancelled";

  static final String KIND_NAME = "offer-withdrawn";

  @Override
  public JsonObject toJson() {
    return new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("reason", reason);
  }

  static OfferWithdrawnEvent fromJson(JsonObject json) {
    return new OfferWithdrawnEvent(json.getString("conversation"), json.getString("reason"));
  }
}
