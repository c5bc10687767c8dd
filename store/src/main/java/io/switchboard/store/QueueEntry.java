package io.switchboard.store;

import io.switchboard.contract.OpenRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An open waiting in a virtual user's queue (docs/POLICY.md § Queue): its key across the cluster (gateway and
 * request), the conversation it would open, the request itself, its priority, when it started waiting and until
 * when it may wait, the members already offered it, and which router to ask for it ({@code router}, a node). The
 * store gives it its {@code arrival} (an increasing number per queue; 0 before it first waited) and keeps it when
 * the entry comes back to the queue after an offer fell through, so it keeps its place.
 */
public record QueueEntry(String key, String conversation, OpenRequest request, int priority, long enqueuedAt,
                         long deadline, List<String> offered, String router, long arrival) {

  public QueueEntry {
    offered = List.copyOf(offered);
  }

  public String destination() {
    return request.to();
  }

  public QueueEntry withArrival(long number) {
    return new QueueEntry(key, conversation, request, priority, enqueuedAt, deadline, offered, router, number);
  }

  /** The JSON the store keeps (the arrival is kept beside it, in the queue's order). */
  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("conversation", conversation).put("request", request.toJson())
        .put("priority", priority).put("enqueuedAt", enqueuedAt).put("deadline", deadline)
        .put("offered", new JsonArray(offered)).put("router", router);
  }

  public static QueueEntry fromJson(JsonObject json, long arrival) {
    return new QueueEntry(json.getString("key"), json.getString("conversation"),
        OpenRequest.fromJson(json.getJsonObject("request")), json.getInteger("priority"), json.getLong("enqueuedAt"),
        json.getLong("deadline"), json.getJsonArray("offered").stream().map(String::valueOf).toList(),
        json.getString("router"), arrival);
  }
}
