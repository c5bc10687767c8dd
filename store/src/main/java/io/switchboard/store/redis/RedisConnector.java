package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.InvalidDefinitionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The store's connection to Redis: one server, or every master of a cluster. One connection is kept open and
 * requests are pipelined on it, each bounded by the request timeout. When it is lost (or a request times out, which
 * says the same), requests fail at once with {@code store_unavailable} while it reconnects in the background,
 * waiting twice as long after each failed attempt up to the longest reconnection delay; the scripts are loaded
 * again on every new connection. Failures leave here as {@link SwitchboardException} (or
 * {@link InvalidDefinitionException} for a definition a script refused).
 */
final class RedisConnector {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
  private static final long FIRST_RECONNECT_DELAY_MS = 10;
  /** Prefix of the refusals our scripts return: {@code SBERR <error code> <message>}. */
  private static final String REFUSAL = "SBERR ";
  private static final String INVALID_DEFINITION = "invalid_definition";
  /** Redis errors that say the server cannot serve right now, rather than that the request is wrong. */
  private static final Set<String> UNAVAILABLE_ERRORS =
      Set.of("LOADING", "BUSY", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY", "NOREPLICAS", "OOM");

  private final Vertx vertx;
  private final RedisOptions redisOptions;
  private final long requestTimeoutMs;
  private final long connectTimeoutMs;
  private final long maxReconnectDelayMs;
  /** The current client and its connection: succeeded when open, pending while connecting, failed while waiting. */
  private final AtomicReference<Link> current = new AtomicReference<>();
  private final AtomicInteger failedAttempts = new AtomicInteger();
  private volatile boolean closed;

  /**
   * A client with the connection it made. Each attempt has a client of its own, closed when its connection is
   * lost: closing the client closes its sockets, where closing a pooled connection would hand a socket that
   * stopped answering back to the pool.
   */
  private record Link(Redis client, Future<RedisConnection> connection) {
    static Link down(String why) {
      return new Link(null, Future.failedFuture(new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, why)));
    }

    void close() {
      if (client != null) {
        client.close();
      }
    }
  }

  private RedisConnector(Vertx vertx, RedisStoreOptions options) {
    this.vertx = vertx;
    this.requestTimeoutMs = options.requestTimeout().toMillis();
    this.connectTimeoutMs = options.connectTimeout().toMillis();
    this.maxReconnectDelayMs = options.maxReconnectDelay().toMillis();
    this.redisOptions = new RedisOptions()
        .setType(options.cluster() ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
        .setEndpoints(options.endpoints())
        // RESP2 keeps the scripts' replies plain: a Lua false is nil and true is 1 (RESP3 would make them booleans)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    redisOptions.getNetClientOptions().setConnectTimeout((int) connectTimeoutMs);
  }

  /** Connects and loads the scripts; fails when Redis cannot be reached now. */
  static Future<RedisConnector> connect(Vertx vertx, RedisStoreOptions options) {
    RedisConnector connector = new RedisConnector(vertx, options);
    return connector.attempt()
        .map(connection -> connector)
        .recover(failure -> connector.close().transform(closed -> Future.failedFuture(translate(failure))));
  }

  /** Sends one command. */
  Future<Response> send(Request request) {
    return raw(request).recover(failure -> Future.failedFuture(translate(failure)));
  }

  /** Runs a script by its SHA1, sending its source to a server that does not know it (after a restart, or a cluster node it was never loaded on). */
  Future<Response> eval(Script script, List<String> keys, List<String> args) {
    return raw(script.evalSha(keys, args))
        .recover(failure -> isError(failure, "NOSCRIPT") ? raw(script.eval(keys, args)) : Future.failedFuture(failure))
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  Future<Void> close() {
    closed = true;
    // swapped out, so that the connection ending now is not taken for a loss
    Link link = current.getAndSet(Link.down("the Redis store is closed"));
    return link == null || link.client() == null ? Future.succeededFuture() : link.client().close();
  }

  /** Sends on the current connection, waiting for one that is being made, within the request timeout. */
  private Future<Response> raw(Request request) {
    Link link = current.get();
    return link.connection().compose(open -> open.send(request))
        .timeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(failure -> {
          // an error reply is an answer; anything else on an open connection means it is gone or stuck
          if (link.connection().succeeded() && !(failure instanceof Response)) {
            lost(link, failure);
          }
        });
  }

  private Future<RedisConnection> attempt() {
    Redis client = Redis.createClient(vertx, redisOptions);
    // requests waiting for this attempt still give up after their own timeout
    Future<RedisConnection> connection = client.connect()
        .compose(open -> loadScripts(open).map(open))
        .timeout(connectTimeoutMs, TimeUnit.MILLISECONDS);
    Link link = new Link(client, connection);
    current.set(link);
    if (closed) {
      // closed while this attempt was being made
      link.close();
    }
    connection.onComplete(result -> {
      if (result.failed()) {
        lost(link, result.cause());
        return;
      }
      RedisConnection open = result.result();
      open.exceptionHandler(failure -> lost(link, failure));
      open.endHandler(ended -> lost(link, new IllegalStateException("connection closed by the server")));
      if (failedAttempts.getAndSet(0) > 0) {
        LOG.info("Redis connection restored");
      }
    });
    return connection;
  }

  /** Scripts are loaded once per connection; on a cluster, this reaches one node and the others learn on NOSCRIPT. */
  private static Future<Void> loadScripts(RedisConnection connection) {
    return Future.all(Arrays.stream(Script.values())
            .map(script -> connection.send(script.load()).compose(sha -> sha.toString().equals(script.sha())
                ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException("Redis knows " + script + " by another SHA1: " + sha))))
            .toList())
        .mapEmpty();
  }

  /** Drops a connection (once, whoever notices first) with its client, and schedules the next attempt. */
  private void lost(Link link, Throwable cause) {
    if (!current.compareAndSet(link, Link.down("Redis is unreachable (" + describe(cause) + "); reconnecting"))) {
      return;
    }
    link.close();
    if (closed) {
      return;
    }
    int attempts = failedAttempts.getAndIncrement();
    long delay = Math.min(maxReconnectDelayMs, FIRST_RECONNECT_DELAY_MS << Math.min(attempts, 20));
    if (attempts == 0) {
      LOG.warn("Redis connection lost ({}); reconnecting", describe(cause));
    }
    vertx.setTimer(delay, timer -> {
      if (!closed) {
        attempt();
      }
    });
  }

  private static boolean isError(Throwable failure, String kind) {
    return failure instanceof Response reply && reply.type() == ResponseType.ERROR
        && String.valueOf(reply).startsWith(kind + " ");
  }

  private static String describe(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return "no answer in time";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  /** The failure as the store reports it: refusals of our scripts keep their code; Redis being away is store_unavailable. */
  private static Throwable translate(Throwable failure) {
    if (failure instanceof SwitchboardException || failure instanceof InvalidDefinitionException) {
      return failure;
    }
    if (!(failure instanceof Response reply && reply.type() == ResponseType.ERROR)) {
      return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, failure instanceof TimeoutException
          ? "Redis did not answer in time" : "Redis is unreachable: " + failure.getMessage());
    }
    String message = String.valueOf(reply);
    if (message.startsWith(REFUSAL)) {
      String[] refusal = message.substring(REFUSAL.length()).split(" ", 2);
      String text = refusal.length > 1 ? refusal[1] : "";
      if (INVALID_DEFINITION.equals(refusal[0])) {
        return new InvalidDefinitionException(text);
      }
      return Arrays.stream(ErrorCode.values()).filter(code -> code.wire().equals(refusal[0])).findFirst()
          .map(code -> new SwitchboardException(code, text))
          .orElseGet(() -> new SwitchboardException(ErrorCode.INTERNAL, message));
    }
    String kind = message.split(" ", 2)[0];
    if (UNAVAILABLE_ERRORS.contains(kind)) {
      return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "Redis cannot serve now: " + message);
    }
    LOG.error("Redis refused a request of the store: {}", message);
    return new SwitchboardException(ErrorCode.INTERNAL, "Redis: " + message);
  }
}
