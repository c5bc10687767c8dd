package io.switchboard.presence;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.Status;
import io.switchboard.directory.VirtualUser;
import io.switchboard.rules.Activation;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.RulesEngine;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * What a user's status change means for its handling rules (SPEC.md §5): rules activated by the new status, and
 * the release of held messages once the user is available — online, or in a status one of its virtual users
 * accepts — in order, followed by one {@code released} notice with their count.
 */
final class HeldMessages {

  private static final Logger LOG = LoggerFactory.getLogger(HeldMessages.class);

  private final Vertx vertx;
  private final SwitchboardStore store;
  private final Clock clock;

  HeldMessages(Vertx vertx, SwitchboardStore store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
  }

  void statusChanged(String user, Status status) {
    store.rules(user).onSuccess(json -> {
      if (json != null) {
        List<Activation> activations = RulesEngine.onStatus(RulesDocument.fromJson(json), status.wire(), clock.millis());
        store.activate(user, Activation.byRule(activations));
      }
    });
    available(user, status)
        .compose(available -> available ? store.releaseHeld(user) : Future.succeededFuture(List.of()))
        .onSuccess(released -> {
          if (!released.isEmpty()) {
            String address = Addresses.user(user);
            released.forEach(message -> vertx.eventBus().publish(address, message.toJson()));
            vertx.eventBus().publish(address, new NoticeEvent("released", null, null, released.size()).toJson());
          }
        })
        .onFailure(failure -> LOG.warn("could not release the held messages of {}: {}", user, failure.getMessage()));
  }

  private Future<Boolean> available(String user, Status status) {
    if (status == Status.ONLINE) {
      return Future.succeededFuture(true);
    }
    return store.virtualUsersOf(user)
        .compose(ids -> Future.all(ids.stream().map(store::virtualUser).toList()))
        .map(all -> all.<VirtualUser>list().stream()
            .anyMatch(virtualUser -> virtualUser != null && virtualUser.policy().isAvailable(status)));
  }
}
