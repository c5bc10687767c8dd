package io.switchboard.conversation;

import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.Json;
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

  /**
   * Reads a record as {@link #toJson} writes it; throws {@link InvalidDefinitionException} naming the field when
   * {@code ts} is not a positive whole number (milliseconds since 1970), an id is malformed or no sub-user is named.
   * Whether the ids exist is for the caller to check.
   */
  public static HistoryRecord fromJson(JsonObject json) {
    Object ts = json.getValue("ts");
    if (!(ts instanceof Integer || ts instanceof Long) || ((Number) ts).longValue() <= 0) {
      throw new InvalidDefinitionException("ts must be a positive whole number of milliseconds since 1970, not " + ts);
    }
    String source = Json.id(json, "source");
    String destination = Json.id(json, "destination");
    List<String> subUsers = Json.ids(json, "subUsers");
    if (subUsers.isEmpty()) {
      throw new InvalidDefinitionException("subUsers must name at least one sub-user");
    }
    return new HistoryRecord(((Number) ts).longValue(), source, destination, subUsers);
  }
}
