package io.switchboard.store.redis;

import io.switchboard.conversation.Conversation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reading Redis replies and running steps side by side, as every slice of the Redis store does. */
final class RedisReplies {

  private RedisReplies() {
  }

  /** A conversation from its fields in the order the scripts give them: source, destination, agent, revealAgent, openedAt. */
  static Conversation conversation(String id, Response fields) {
    return new Conversation(id, fields.get(0).toString(), fields.get(1).toString(), fields.get(2).toString(),
        Boolean.parseBoolean(fields.get(3).toString()), fields.get(4).toLong());
  }

  /** The elements of an array reply as strings (none for a nil reply). */
  static List<String> strings(Response array) {
    List<String> strings = new ArrayList<>();
    if (array != null) {
      array.forEach(element -> strings.add(element.toString()));
    }
    return strings;
  }

  /** The distinct elements of an array reply, sorted: the gateways of a user's sessions. */
  static List<String> gateways(Response array) {
    return strings(array).stream().distinct().sorted().toList();
  }

  /** Runs one step per item at once (one round trip: the connection pipelines them); replies in the items' order. */
  static <T> Future<List<Response>> all(List<T> items, Function<T, Future<Response>> step) {
    return Future.all(items.stream().map(step).toList()).map(done -> done.<Response>list());
  }

  /**
   * A JSON object's text split around a {@code seq} that only a script knows: the script writes
   * {@code before + seq + after}, which is the object with {@code "seq"} as its first member.
   */
  static List<String> aroundSeq(JsonObject withoutSeq) {
    String encoded = withoutSeq.encode();
    return List.of("{\"seq\":", encoded.length() > 2 ? "," + encoded.substring(1) : "}");
  }
}
