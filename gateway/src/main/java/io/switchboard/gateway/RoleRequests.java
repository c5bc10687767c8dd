package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Requests to the presence and router roles. The role on this node answers if it runs here: no cluster hop, and no
 * chance of picking a node that just died, whose registrations the cluster still lists for a few seconds. Otherwise
 * any node's does; a request that may be repeated is sent once more to another when the first finds no answer in
 * time, so a dead node costs a client one timeout at most, not a failure.
 */
final class RoleRequests {

  /** How long a role has to answer one request. */
  static final long TIMEOUT_MILLIS = 5_000;

  private final EventBus bus;

  RoleRequests(EventBus bus) {
    this.bus = bus;
  }

  /** A request that changes nothing when repeated (presence, close): tried a second time on a timeout. */
  Future<Message<Object>> idempotent(String address, Object body) {
    return request(address, body).recover(failure -> failedOver(failure) ? clustered(address, body) : Future.failedFuture(failure));
  }

  /** A request that must not run twice (open): one attempt. */
  Future<Message<Object>> once(String address, Object body) {
    return request(address, body);
  }

  private Future<Message<Object>> request(String address, Object body) {
    return bus.request(address, body, new DeliveryOptions().setLocalOnly(true).setSendTimeout(TIMEOUT_MILLIS))
        .recover(failure -> is(failure, ReplyFailure.NO_HANDLERS) ? clustered(address, body) : Future.failedFuture(failure));
  }

  private Future<Message<Object>> clustered(String address, Object body) {
    return bus.request(address, body, new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS));
  }

  private static boolean failedOver(Throwable failure) {
    return is(failure, ReplyFailure.TIMEOUT) || is(failure, ReplyFailure.NO_HANDLERS);
  }

  private static boolean is(Throwable failure, ReplyFailure type) {
    return failure instanceof ReplyException reply && reply.failureType() == type;
  }
}
