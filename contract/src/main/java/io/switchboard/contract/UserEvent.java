package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * Something that happened for a user, sent in a {@link UserDelivery} to every gateway that holds a connection of
 * that user and turned into a protocol frame for each of them.
 */
public sealed interface UserEvent permits OfferEvent, OfferWithdrawnEvent, MessageEvent, ClosedEvent, NoticeEvent,
    TransferredEvent {

  String KIND = "event";

  JsonObject toJson();

  static UserEvent fromJson(JsonObject json) {
    String kind = json.getString(KIND);
    return switch (kind) {
      case OfferEvent.KIND_NAME -> OfferEvent.fromJson(json);
      case OfferWithdrawnEvent.KIND_NAME -> OfferWithdrawnEvent.fromJson(json);
      case MessageEvent.KIND_NAME -> MessageEvent.fromJson(json);
      case ClosedEvent.KIND_NAME -> ClosedEvent.fromJson(json);
      case NoticeEvent.KIND_NAME -> NoticeEvent.fromJson(json);
      case TransferredEvent.KIND_NAME -> TransferredEvent.fromJson(json);
      default -> throw new IllegalArgumentException("unknown user event " + kind);
    };
  }
}
