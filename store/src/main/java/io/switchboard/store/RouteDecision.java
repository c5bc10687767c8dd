package io.switchboard.store;

import io.switchboard.routing.TraceEntry;
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
}
