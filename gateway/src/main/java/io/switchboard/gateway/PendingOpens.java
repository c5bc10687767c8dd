package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.CancelOpen;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.OpenOutcome;
import io.switchboard.contract.OpenProgress;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code open} and {@code transfer} requests of this gateway's sessions waiting for their outcome, each with the
 * node whose router holds it: when that node is evicted (it died, or left), its opens fail at once instead of waiting for their
 * deadline, except those waiting in a queue, which the store keeps for any router to serve. None waits longer than
 * the open timeout, or a waiting open's deadline as its router gives it. Each outcome a session gets is counted, with
 * the setup time of those that opened.
 */
final class PendingOpens {

  private final Vertx vertx;
  private final Duration openTimeout;
  private final String gatewayId;
  private final Clock clock;
  private final SwitchboardMetrics metrics;
  private final Map<String, PendingOpen> byKey = new HashMap<>();
  private long next;

  private static final class PendingOpen {
    final Session session;
    final String requestId;
    /** The virtual user it waits for (another one once it overflowed), or the one a transfer goes to. */
    String to;
    /** {@link SwitchboardMetrics#now()} when the request came. */
    final long since;
    /** A transfer: its outcome goes to {@link Session#transferEnded}; it never waits in a queue nor is cancelled. */
    final boolean transfer;
    long timer;
    String router;
    /** Its position in the queue, 0 when it does not wait there. */
    int position;
    /** Whether it ever waited in a queue: then the store keeps it through the loss of its router. */
    boolean waited;

    PendingOpen(Session session, String requestId, String to, long since, boolean transfer) {
      this.session = session;
      this.requestId = requestId;
      this.to = to;
      this.since = since;
      this.transfer = transfer;
    }
  }

  PendingOpens(Vertx vertx, Duration openTimeout, String gatewayId, Clock clock, SwitchboardMetrics metrics) {
    this.vertx = vertx;
    this.openTimeout = openTimeout;
    this.gatewayId = gatewayId;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Registers an open of {@code session} to {@code to}; the key names it in the request and its outcome. */
  String add(Session session, String requestId, String to) {
    return add(session, requestId, to, false);
  }

  /** Registers a transfer of {@code session} to {@code to}. */
  String addTransfer(Session session, String requestId, String to) {
    return add(session, requestId, to, true);
  }

  private String add(Session session, String requestId, String to, boolean transfer) {
    String key = "o" + (++next);
    PendingOpen open = new PendingOpen(session, requestId, to, metrics.now(), transfer);
    open.timer = expireIn(key, openTimeout.toMillis());
    byKey.put(key, open);
    return key;
  }

  private long expireIn(String key, long millis) {
    return vertx.setTimer(Math.max(1, millis), id -> {
      PendingOpen open = byKey.get(key);
      if (open != null && open.waited) {
        // Its router is gone (else it would have ended it): the queue must not keep it.
        withdraw(key, open);
      }
      fail(key, new SwitchboardException(ErrorCode.TIMEOUT, "no outcome in time"));
    });
  }

  /** The router of {@code node} took the open. */
  void routedBy(String key, String node) {
    PendingOpen open = byKey.get(key);
    if (open != null) {
      open.router = node;
    }
  }

  /** How a waiting open gets on: a new position is told to the client as {@code queued}. */
  void progress(OpenProgress progress) {
    PendingOpen open = byKey.get(progress.request());
    if (open == null) {
      return;
    }
    open.router = progress.router();
    open.to = progress.to();
    vertx.cancelTimer(open.timer);
    open.timer = expireIn(progress.request(), progress.until() - clock.millis());
    boolean moved = progress.position() > 0 && progress.position() != open.position;
    open.position = progress.position();
    if (moved && !open.waited) {
      metrics.openQueued();
    }
    open.waited |= moved;
    if (moved) {
      open.session.queued(open.requestId, progress.to(), progress.position(), progress.estimatedWait());
    }
  }

  /**
   * The client withdraws its open {@code requestId}: the router holding it (or, when it is gone, any router, for
   * an open waiting in a queue) cancels it, and the open then ends with {@code cancelled}.
   */
  Future<Void> cancel(Session session, String requestId) {
    Map.Entry<String, PendingOpen> found = byKey.entrySet().stream()
        .filter(entry -> entry.getValue().session == session && !entry.getValue().transfer
            && Objects.equals(entry.getValue().requestId, requestId))
        .findFirst().orElse(null);
    if (found == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND,
          "no open " + requestId + " of this connection is waiting"));
    }
    PendingOpen open = found.getValue();
    if (open.router == null && !open.waited) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.GONE, "open " + requestId + " is being routed; try again"));
    }
    return sendCancel(new CancelOpen(session.user(), open.to, gatewayId, found.getKey()), open.router);
  }

  /** Asks the open's router to drop it, not waiting for the answer: its session is gone, or it waited too long. */
  private void withdraw(String key, PendingOpen open) {
    sendCancel(new CancelOpen(open.session.user(), open.to, gatewayId, key), open.router);
  }

  /**
   * Sends a cancel to the router of {@code router} (null: unknown), or to any router when there is none there (that
   * node is gone: then only the queue in the store still holds the open).
   */
  private Future<Void> sendCancel(CancelOpen cancel, String router) {
    DeliveryOptions deadline = new DeliveryOptions().setSendTimeout(RoleRequests.TIMEOUT_MILLIS);
    Future<Message<Object>> sent = router == null
        ? vertx.eventBus().request(Addresses.ROUTER_CANCEL, cancel, deadline)
        : vertx.eventBus().request(Addresses.routerCancel(router), cancel, deadline).recover(failure ->
            failure instanceof ReplyException lost && lost.failureType() == ReplyFailure.NO_HANDLERS
                ? vertx.eventBus().request(Addresses.ROUTER_CANCEL, cancel, deadline) : Future.failedFuture(failure));
    return sent.<Void>mapEmpty().recover(failure -> Future.failedFuture(SwitchboardException.of(failure)));
  }


  void outcome(OpenOutcome outcome) {
    PendingOpen open = remove(outcome.request());
    if (open != null) {
      ended(open, outcome);
    }
  }

  void fail(String key, Throwable failure) {
    PendingOpen open = remove(key);
    if (open != null) {
      ended(open, OpenOutcome.failed(key, SwitchboardException.of(failure)));
    }
  }

  private void ended(PendingOpen open, OpenOutcome outcome) {
    if (open.transfer) {
      metrics.transferEnded(outcome.opened() != null ? "transferred" : outcome.failure().code().wire());
      open.session.transferEnded(open.requestId, outcome);
      return;
    }
    metrics.openEnded(outcome.opened() != null ? "opened" : outcome.failure().code().wire(), open.since);
    open.session.openEnded(open.requestId, outcome);
  }

  /**
   * The node routing some opens left: they fail now, so their clients can try again; those that waited in a queue
   * are kept there (or put back) for any router to serve or cancel.
   */
  void routerLost(String node) {
    byKey.values().stream().filter(open -> node.equals(open.router) && open.waited)
        .forEach(open -> open.router = null);
    List<String> lost = byKey.entrySet().stream().filter(entry -> node.equals(entry.getValue().router))
        .map(Map.Entry::getKey).toList();
    lost.forEach(key -> fail(key, new SwitchboardException(ErrorCode.UNAVAILABLE,
        "the node routing this request went away; try again")));
  }

  /**
   * A session that closed takes its opens with it: their routers drop them (docs/PROTOCOL.md § Queue). A transfer
   * goes on without it (the agent that asked hears of it as its conversation's {@code closed}, or not at all).
   */
  void forget(Session session) {
    List<String> keys = byKey.entrySet().stream().filter(entry -> entry.getValue().session == session)
        .map(Map.Entry::getKey).toList();
    keys.forEach(key -> {
      PendingOpen open = remove(key);
      if (!open.transfer) {
        withdraw(key, open);
      }
    });
  }

  private PendingOpen remove(String key) {
    PendingOpen open = byKey.remove(key);
    if (open != null) {
      vertx.cancelTimer(open.timer);
    }
    return open;
  }
}
