package io.switchboard.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** One entry of the communication history: at {@code ts}, {@code source} talked with {@code destination} through these sub-users. */
public record HistoryRecord(long ts, String source, String destination, List<String> subUsers) {

  public HistoryRecord {
    subUsers = List.copyOf(subUsers);
  }

  public JsonObject toJson() {
    return new JsonObject().put("ts", ts).put("source", source).put("destination", destination)
        .put("subUsers", new JsonArray(subUsers));
  }

  public static HistoryRecord fromJson(JsonObject json) {
    List<String> subUsers = json.getJsonArray("subUsers").stream().map(String.class::cast).toList();
    return new HistoryRecord(json.getLong("ts"), json.getString("source"), json.getString("destination"), subUsers);
  }
}
