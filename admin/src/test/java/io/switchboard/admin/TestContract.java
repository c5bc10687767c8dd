package io.switchboard.admin;

import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/** The admin API's document, loaded for a test. */
final class TestContract {

  private TestContract() {
  }

  static AdminContract load(Vertx vertx) {
    try {
      return AdminContract.load(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the admin API's document does not load", e);
    }
  }
}
