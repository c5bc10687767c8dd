package io.switchboard.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * How long an HTTP request may take to arrive: a connection must deliver each request whole (headers and body)
 * within the deadline of opening or of its previous response, or it is closed. This ends connections that drip a
 * request (slow loris) and keep-alive connections left idle. A connection upgraded to a WebSocket leaves it:
 * the protocol's heartbeat polices it from then on. Lives on the HTTP server's event loop. The admin port's server
 * (the node's) is policed the same way.
 */
public final class RequestDeadlines {

  private final Vertx vertx;
  private final long deadlineMillis;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  /** One connection: the timer running while a request is awaited, if any. */
  private static final class Watch {
    long timer = -1;
    boolean upgraded;
  }

  public RequestDeadlines(Vertx vertx, long deadlineMillis) {
    this.vertx = vertx;
    this.deadlineMillis = deadlineMillis;
  }

  /** A new connection: its first request is awaited from now. */
  public void opened(HttpConnection connection) {
    Watch watch = new Watch();
    watches.put(connection, watch);
    connection.closeHandler(closed -> {
      disarm(watch);
      watches.remove(connection);
    });
    arm(connection, watch);
  }

  /** The first handler of every route: the request is no longer awaited once whole, and the next one is once answered. */
  public void handle(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    Watch watch = watches.get(connection);
    if (watch != null) {
      // The next request is awaited once this one arrived whole and was answered, whichever comes last.
      ctx.request().end().onComplete(received -> {
        disarm(watch);
        if (ctx.response().ended()) {
          awaitNext(connection, watch);
        }
      });
      ctx.addEndHandler(answered -> {
        if (ctx.request().isEnded()) {
          awaitNext(connection, watch);
        }
      });
    }
    ctx.next();
  }

  /** The connection is a WebSocket now. */
  void upgraded(HttpConnection connection) {
    Watch watch = watches.get(connection);
    if (watch != null) {
      watch.upgraded = true;
      disarm(watch);
    }
  }

  private void awaitNext(HttpConnection connection, Watch watch) {
    if (!watch.upgraded && watches.get(connection) == watch) {
      arm(connection, watch);
    }
  }

  private void arm(HttpConnection connection, Watch watch) {
    disarm(watch);
    watch.timer = vertx.setTimer(deadlineMillis, id -> {
      watch.timer = -1;
      if (!watch.upgraded) {
        connection.close();
      }
    });
  }

  private void disarm(Watch watch) {
    if (watch.timer >= 0) {
      vertx.cancelTimer(watch.timer);
      watch.timer = -1;
    }
  }
}
