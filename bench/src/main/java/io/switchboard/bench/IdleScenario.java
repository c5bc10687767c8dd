package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code idle}: N authenticated connections, opened in batches, that only ping within the heartbeat, held for
 * the duration. With {@code --pid}, the node's heap after a full GC and its RSS are read before connecting and
 * again while all connections are held; the result gives the difference per connection.
 */
final class IdleScenario {

  private static final Logger LOG = LoggerFactory.getLogger(IdleScenario.class);
  private static final int CONNECTIONS_PER_ADDRESS = 20_000;

  static final Map<String, String> OPTIONS = Options.table(LoadOptions.common(),
      "connections", "idle connections to hold (default 1000)",
      "users", "log in as src-1…src-U, cycling; the directory needs that many sources (default: connections)",
      "local-addresses", "connect from this many loopback addresses 127.0.0.1… (default: one per 20,000 connections)",
      "pid", "the node's process id, to read its heap (jcmd) and RSS (/proc) before and after (default: none)");

  private final Vertx vertx;
  private final LoadOptions load;
  private final int connections;
  private final int users;
  private final Long pid;
  private final ErrorCounts connectErrors = new ErrorCounts();
  private final LongAdder dropped = new LongAdder();
  private volatile boolean holding;

  IdleScenario(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.connections = options.integer("connections", 1000, 1);
    LoadOptions given = LoadOptions.from(options);
    // About 28,000 ephemeral ports per source address and port: spread large counts over several addresses.
    this.load = options.has("local-addresses") ? given
        : given.withLocalAddresses((connections + CONNECTIONS_PER_ADDRESS - 1) / CONNECTIONS_PER_ADDRESS);
    this.users = options.integer("users", connections, 1);
    this.pid = options.has("pid") ? (long) options.integer("pid", 0, 1) : null;
  }

  Future<JsonObject> run() {
    NodeMemory memory = pid == null ? null : new NodeMemory(vertx, pid);
    Connector connector = new Connector(vertx, load);
    List<String> logins = new ArrayList<>(connections);
    for (int i = 0; i < connections; i++) {
      logins.add(Names.source(i % users + 1));
    }
    JsonObject result = new JsonObject().put("scenario", "idle").put("transport", load.transport().name().toLowerCase())
        .put("connections", connections).put("users", Math.min(users, connections))
        .put("localAddresses", load.localAddresses()).put("durationSeconds", load.duration().toMillis() / 1000.0);
    Future<NodeMemory.Reading> before = memory == null ? Future.succeededFuture() : memory.read();
    return before
        .compose(reading -> {
          if (reading != null) {
            result.put("before", reading.toJson());
          }
          connector.start();
          LOG.info("idle: connecting {} in batches of {}", connections, load.connectBatch());
          long rampStart = System.nanoTime();
          return connector.connectAll(logins, connectErrors).map(connected -> {
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            // each connection authenticated and announced: what registering a user costs the node (or cluster)
            result.put("rampSeconds", Math.round(rampSeconds * 1000) / 1000.0)
                .put("connectionsPerSecond", Math.round(connected.size() / rampSeconds * 10) / 10.0);
            return connected;
          });
        })
        .compose(connected -> {
          result.put("connected", connected.size());
          holding = true;
          connected.forEach(client -> client.whenClosed().onComplete(closed -> {
            if (holding) {
              dropped.increment();
            }
          }));
          LOG.info("idle: {} connected; holding for {}", connected.size(), load.duration());
          return vertx.timer(load.duration().toMillis()).map(held -> connected.size());
        })
        .compose(connected -> {
          result.put("stillConnected", connector.liveConnections());
          Future<NodeMemory.Reading> after = memory == null ? Future.succeededFuture() : memory.read();
          return after.map(reading -> {
            holding = false;
            if (reading != null) {
              NodeMemory.Reading first = readingOf(result);
              result.put("after", reading.toJson());
              if (connected > 0) {
                result.put("heapPerConnectionBytes", (reading.heapUsedBytes() - first.heapUsedBytes()) / connected);
                result.put("rssPerConnectionBytes", (reading.rssBytes() - first.rssBytes()) / connected);
              }
            }
            return result;
          });
        })
        .map(done -> result.put("droppedWhileHeld", dropped.sum()).put("errors", connectErrors.toJson())
            .mergeIn(connector.toJson()))
        .eventually(connector::close);
  }

  private static NodeMemory.Reading readingOf(JsonObject result) {
    JsonObject before = result.getJsonObject("before");
    return new NodeMemory.Reading(before.getLong("heapUsedBytes"), before.getLong("rssBytes"));
  }
}
