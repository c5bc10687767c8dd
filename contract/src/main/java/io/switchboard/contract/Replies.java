package io.switchboard.contract;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/** Answers an event-bus request from a future: its value as the reply body, or its failure with the protocol code. */
public final class Replies {

  private static final JsonObject EMPTY = new JsonObject();

  private Replies() {
  }

  public static <T> void reply(Message<?> request, Future<T> result, Function<T, JsonObject> body) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        request.reply(body.apply(done.result()));
      } else {
        SwitchboardException failure = SwitchboardException.of(done.cause());
        request.fail(failure.code().failureCode(), failure.getMessage());
      }
    });
  }

  /** Replies an empty object once {@code result} succeeds. */
  public static void reply(Message<?> request, Future<?> result) {
    reply(request, result, ignored -> EMPTY);
  }
}
