package io.switchboard.conversation;

import io.vertx.core.json.JsonObject;

/** What one step of the chain did ({@code selected} or {@code passed}) and why. */
public record TraceEntry(String step, String result, String reason) {

  public static final String SELECTED = "selected";
  public static final String PASSED = "passed";

  public JsonObject toJson() {
    return new JsonObject().put("step", step).put("result", result).put("reason", reason);
  }

  public static TraceEntry fromJson(JsonObject json) {
    return new TraceEntry(json.getString("step"), json.getString("result"), json.getString("reason"));
  }
}
