package io.switchboard.admin;

import io.switchboard.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The nodes of the cluster as they answer a census ({@link Addresses#NODE_CENSUS}): nodes answer on their own, so
 * the census gathers what arrives within a short window. A node that does not answer in time is not listed.
 */
final class NodeCensus {

  /** How long answers are gathered: nodes answer at once, so this only covers the event bus between them. */
  static final long WINDOW_MILLIS = 500;
  /** Most nodes listed; further answers are ignored (a cluster is far smaller). */
  static final int MAX_NODES = 1000;

  private NodeCensus() {
  }

  /** {@code {"nodes":[{"node","roles","connections"}…]}}, sorted by node id. */
  static Future<JsonObject> take(Vertx vertx) {
    String replyTo = Addresses.NODE_CENSUS + ".reply." + UUID.randomUUID();
    TreeMap<String, JsonObject> nodes = new TreeMap<>();
    MessageConsumer<JsonObject> answers = vertx.eventBus().consumer(replyTo, answer -> {
      JsonObject node = answer.body();
      if (nodes.size() < MAX_NODES || nodes.containsKey(node.getString("node"))) {
        nodes.put(node.getString("node"), node);
      }
    });
    Promise<JsonObject> taken = Promise.promise();
    // Registered cluster-wide before asking, so that every node's answer finds it.
    answers.completion()
        .onSuccess(registered -> {
          vertx.eventBus().publish(Addresses.NODE_CENSUS, new JsonObject().put("replyTo", replyTo));
          vertx.setTimer(WINDOW_MILLIS, done -> answers.unregister().onComplete(unregistered ->
              taken.complete(new JsonObject().put("nodes", new JsonArray(List.copyOf(nodes.values()))))));
        })
        .onFailure(taken::fail);
    return taken.future();
  }
}
