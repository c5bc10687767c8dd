package io.switchboard.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A recorded routing decision (ADMIN-API.md {@code /decisions}): who was selected, by which step, and the trace. */
public record RouteDecision(long ts, String conversation, String source, String destination, String selected,
                            String step, List<TraceEntry> trace) {

  public RouteDecision {
    trace = List.copyOf(trace);
  }

  public JsonObject toJson() {
    JsonArray steps = new JsonArray();
    trace.forEach(entry -> steps.add(entry.toJson()));
    return new JsonObject().put("ts", ts).put("conversation", conversation).put("source", source)
        .put("destination", destination).put("selected", selected).put("step", step).put("trace", steps);
  }

  public static RouteDecision fromJson(JsonObject json) {
    List<TraceEntry> trace = json.getJsonArray("trace").stream()
        .map(entry -> TraceEntry.fromJson((JsonObject) entry)).toList();
    return new RouteDecision(json.getLong("ts"), json.getString("conversation"), json.getString("source"),
        json.getString("destination"), json.getString("selected"), json.getString("step"), trace);
  }
}
