package io.switchboard.router;

import io.switchboard.contract.Addresses;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.RouteDecision;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * What routing tells the live views of a virtual user ({@link Addresses#live}, docs/ADMIN-API.md), published to every
 * node: nothing travels unless some node serves a live view of that virtual user.
 */
final class LiveFeed {

  private LiveFeed() {
  }

  static void opened(EventBus bus, Conversation conversation, long ts) {
    publish(bus, conversation.destination(), event("opened", ts, conversation));
  }

  static void closed(EventBus bus, Conversation conversation, String by, String reason, long ts) {
    publish(bus, conversation.destination(), event("closed", ts, conversation).put("by", by).put("reason", reason));
  }

  /**
   * A conversation handed from {@code before.agent()} to {@code after.agent()} with the agent's note (or null): each
   * virtual user involved hears it.
   */
  static void transferred(EventBus bus, Conversation before, Conversation after, String note, long ts) {
    JsonObject event = event("transferred", ts, after).put("from", before.agent()).put("note", note)
        .put("fromVirtualUser", before.isVirtual() ? before.destination() : null)
        .put("toVirtualUser", after.isVirtual() ? after.destination() : null);
    if (before.isVirtual()) {
      publish(bus, before.destination(), event);
    }
    if (after.isVirtual() && !after.destination().equals(before.destination())) {
      publish(bus, after.destination(), event);
    }
  }

  static void decision(EventBus bus, RouteDecision decision) {
    publish(bus, decision.destination(), decision.toJson().put("type", "decision"));
  }

  /**
   * The queue of {@code virtualUser} changed: each live view of it reads the queue afresh (the router knows only what
   * moved). Not passed on to clients as it is.
   */
  static void queueChanged(EventBus bus, String virtualUser) {
    publish(bus, virtualUser, new JsonObject().put("type", Addresses.LIVE_QUEUE_CHANGED));
  }

  private static JsonObject event(String type, long ts, Conversation conversation) {
    return new JsonObject().put("type", type).put("ts", ts).put("conversation", conversation.id())
        .put("source", conversation.source()).put("agent", conversation.agent());
  }

  private static void publish(EventBus bus, String virtualUser, JsonObject event) {
    bus.publish(Addresses.live(virtualUser), event);
  }
}
