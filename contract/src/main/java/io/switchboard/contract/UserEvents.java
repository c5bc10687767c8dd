package io.switchboard.contract;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Sends a user's events to the gateways that hold its sessions (as the store reports them). */
public final class UserEvents {

  private UserEvents() {
  }

  /**
   * Sends {@code event} for {@code user} to each of {@code gateways}; nothing when the user has no session. Completes
   * once every copy was handed over (to a consumer of this node, or written to another node's connection), and fails
   * if one could not be (that gateway is gone).
   */
  public static Future<Void> send(EventBus bus, Collection<String> gateways, String user, UserEvent event) {
    if (gateways.isEmpty()) {
      return Future.succeededFuture();
    }
    UserDelivery body = new UserDelivery(user, event);
    List<Future<Void>> written = new ArrayList<>(gateways.size());
    for (String gateway : gateways) {
      written.add(bus.<UserDelivery>sender(Addresses.gateway(gateway)).write(body));
    }
    return Future.all(written).mapEmpty();
  }
}
