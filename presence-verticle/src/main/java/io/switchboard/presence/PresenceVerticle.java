package io.switchboard.presence;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Replies;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.StatusRequest;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Presence (SPEC.md §2): records sessions and statuses in the store, which aggregates virtual users, and
 * publishes every resulting change on {@link Addresses#PRESENCE_CHANGED} for the gateways' watchers.
 */
public final class PresenceVerticle extends VerticleBase {

  private final SwitchboardStore store;

  public PresenceVerticle(SwitchboardStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.PRESENCE_CONNECT,
            msg -> Replies.reply(msg, publish(store.connect(SessionRef.fromJson(msg.body()))))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_DISCONNECT,
            msg -> Replies.reply(msg, publish(store.disconnect(SessionRef.fromJson(msg.body()))))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_SET,
            msg -> Replies.reply(msg, publish(store.setStatus(StatusRequest.fromJson(msg.body()))))).completion(),
        bus.<JsonObject>consumer(Addresses.PRESENCE_QUERY, msg -> {
          List<String> ids = msg.body().getJsonArray("users").stream().map(String.class::cast).toList();
          Replies.reply(msg, store.presence(ids), PresenceVerticle::toJson);
        }).completion());
  }

  private Future<List<PresenceChange>> publish(Future<List<PresenceChange>> changes) {
    return changes.onSuccess(list -> list.forEach(
        change -> vertx.eventBus().publish(Addresses.PRESENCE_CHANGED, change.toJson())));
  }

  private static JsonObject toJson(List<PresenceChange> presence) {
    JsonArray array = new JsonArray();
    presence.forEach(change -> array.add(change.toJson()));
    return new JsonObject().put("presence", array);
  }
}
