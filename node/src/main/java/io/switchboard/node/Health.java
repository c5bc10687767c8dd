package io.switchboard.node;

import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * {@code GET /health/live}: the process answers. {@code GET /health/ready}: it can serve clients, i.e. the
 * store answers within a second (200 with {@code "status":"UP"}, else 503) — what a load balancer checks.
 */
final class Health {

  private static final long STORE_CHECK_MILLIS = 1000;

  private Health() {
  }

  static void mount(Router router, Vertx vertx, SwitchboardStore store) {
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(
        HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()))));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(
        HealthChecks.create(vertx).register("store", STORE_CHECK_MILLIS, promise -> store.ping()
            .onSuccess(answered -> promise.complete(Status.OK()))
            .onFailure(failure -> promise.complete(Status.KO())))));
  }
}
