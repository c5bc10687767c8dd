package io.switchboard.node;

import io.switchboard.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live}: the process answers. {@code GET /health/ready}: it can serve clients, i.e. the
 * store answers within a second and the node is not restoring a store that lost everything (200 with
 * {@code "status":"UP"}, else 503) — what a load balancer checks.
 */
final class Health {

  private static final long STORE_CHECK_MILLIS = 1000;
  private static final long CHECK_DEADLINE_MILLIS = 5 * STORE_CHECK_MILLIS;

  private Health() {
  }

  /** @param restoring whether the node is restoring a store that lost everything (then it is not ready) */
  static void mount(Router router, Vertx vertx, Stores store, BooleanSupplier restoring) {
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(
        HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()))));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(
        HealthChecks.create(vertx)
            // The store check ends itself (KO, 503): a check the health checks time out would be a 500.
            .register("store", CHECK_DEADLINE_MILLIS, promise -> store.ping()
                .timeout(STORE_CHECK_MILLIS, TimeUnit.MILLISECONDS)
                .onSuccess(answered -> promise.complete(Status.OK()))
                .onFailure(failure -> promise.complete(Status.KO(new JsonObject()
                    .put("reason", "the store did not answer within " + STORE_CHECK_MILLIS + " ms")))))
            .register("restore", promise -> promise.complete(restoring.getAsBoolean()
                ? Status.KO(new JsonObject().put("reason", "restoring a store that lost everything")) : Status.OK()))));
  }
}
