package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A conversation was closed. {@code by} is the closer as this recipient sees it; {@code reason} is
 * {@code "closed"} for a close request and {@code "disconnected"} when a side's connections were gone for good, {@code "transferred"} for the agent that handed it on.
 */
public record ClosedEvent(String conversation, String by, String reason) implements UserEvent {

  public static final String CLOSED = "closed";
  public static final String DISCONNECTED = "disconnected";
  /** The closing agent handed the conversation to someone else, who carries it on. */
  public static final String TRANSFERRED = "transferred";

  static final String KIND_NAME = "closed";

  @Override
  public JsonObject toJson() {
    return new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("by", by).put("reason", reason);
  }

  static ClosedEvent fromJson(JsonObject json) {
    return new ClosedEvent(json.getString("conversation"), json.getString("by"), json.getString("reason"));
  }
}
