package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * Something that happened for a user, published to {@link Addresses#user(String)} and turned into a
 * protocol frame by every gateway that holds a connection of that user.
 */
public sealed interface UserEvent permits OfferEvent, MessageEvent, ClosedEvent, NoticeEvent {

  String KIND = "event";

  JsonObject toJson();

  static UserEvent fromJson(JsonObject json) {
    String kind = json.getString(KIND);
    return switch (kind) {
      case OfferEvent.KIND_NAME -> OfferEvent.fromJson(json);
      case MessageEvent.KIND_NAME -> MessageEvent.fromJson(json);
      case ClosedEvent.KIND_NAME -> ClosedEvent.fromJson(json);
      case NoticeEvent.KIND_NAME -> NoticeEvent.fromJson(json);
      default -> throw new IllegalArgumentException("unknown user event " + kind);
    };
  }
}
