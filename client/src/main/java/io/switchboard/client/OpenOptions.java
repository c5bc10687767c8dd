package io.switchboard.client;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options of one {@code open}: a context that overrides the source's profile ({@code geo}, {@code attributes}), a
 * deadline other than the client's open timeout, and a callback for each {@code queued} frame while the open waits
 * in a virtual user's queue (its id is what {@link SwitchboardClient#cancelOpen} takes).
 */
public final class OpenOptions {

  private JsonObject context;
  private Duration timeout;
  private Consumer<ServerFrame.Queued> onQueued;

  public OpenOptions setContext(JsonObject context) {
    this.context = context;
    return this;
  }

  public OpenOptions setTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public OpenOptions onQueued(Consumer<ServerFrame.Queued> onQueued) {
    this.onQueued = onQueued;
    return this;
  }

  JsonObject context() {
    return context;
  }

  Duration timeout() {
    return timeout;
  }

  Consumer<ServerFrame.Queued> queuedCallback() {
    return onQueued;
  }
}
