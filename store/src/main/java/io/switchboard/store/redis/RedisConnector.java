package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.directory.InvalidDefinitionException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store's connections to Redis: one server, or every master of a cluster. Each event loop that sends has a
 * connection ("lane") of its own, made on that event loop; other threads (a test's, a shutdown hook's) share one
 * more. A lane sends its requests in the order they were made, pipelined, from its connection's own context, and the
 * outcome of each reaches its caller on the caller's context, in the order Redis answered: the state of the verticle
 * that asked is only ever touched on its own event loop, and one sender's requests keep their order end to end.
 *
 * <p>Each lane has at most {@code maxInFlight} requests in flight; more wait in its queue (at most {@code maxQueued}),
 * and past that a request is refused at once as busy: load backs up in bounded queues, never in the client's, and an
 * overload is never taken for a lost connection. A request that waited past the request timeout is refused as busy
 * without being sent. A connection whose oldest request in flight gets no answer within the request timeout is taken
 * for lost: its requests fail with {@code store_unavailable}, and requests fail at once while it reconnects in the
 * background, waiting twice as long after each failed attempt up to the longest reconnection delay, or trying at once
 * when another lane got through; the scripts are
 * loaded again on every new connection. Failures leave here as {@link SwitchboardException} (or
 * {@link InvalidDefinitionException} for a definition a script refused).
 */
final class RedisConnector {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
  private static final long FIRST_RECONNECT_DELAY_MS = 10;
  /** How often a lane looks for requests that waited too long and for a connection that stopped answering. */
  private static final long SWEEP_MS = 100;
  /** Prefix of the refusals our scripts return: {@code SBERR <error code> <message>}. */
  private static final String REFUSAL = "SBERR ";
  private static final String INVALID_DEFINITION = "invalid_definition";
  /**
   * Errors that say the server cannot serve right now, rather than that the request is wrong: Redis's own, and the
   * client's {@code CONNECTION_CLOSED} for the requests in flight on a connection that closed.
   */
  private static final Set<String> UNAVAILABLE_ERRORS = Set.of("LOADING", "BUSY", "CLUSTERDOWN", "TRYAGAIN",
      "MASTERDOWN", "READONLY", "NOREPLICAS", "OOM", "CONNECTION_CLOSED");

  private final Vertx vertx;
  private final RedisOptions redisOptions;
  private final long requestTimeoutNanos;
  private final long connectTimeoutMs;
  private final long maxReconnectDelayMs;
  private final int maxInFlight;
  private final int maxQueued;
  private final int maxLanes;
  /** Every lane made so far; the first is shared by the threads that are no event loop. */
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextShared = new AtomicInteger();
  /** Each sending thread keeps to one lane, so its requests stay in order. */
  private final ThreadLocal<Lane> laneOfThread = ThreadLocal.withInitial(this::laneForThisThread);
  /** Requests refused because their lane's queue was full, or that waited past their timeout. */
  private final LongAdder refusedBusy = new LongAdder();
  private final SwitchboardMetrics metrics;
  private volatile boolean closed;

  private RedisConnector(Vertx vertx, RedisStoreOptions options) {
    this.vertx = vertx;
    this.metrics = SwitchboardMetrics.of(vertx);
    this.requestTimeoutNanos = options.requestTimeout().toNanos();
    this.connectTimeoutMs = options.connectTimeout().toMillis();
    this.maxReconnectDelayMs = options.maxReconnectDelay().toMillis();
    this.maxInFlight = options.maxInFlight();
    this.maxQueued = options.maxQueued();
    this.maxLanes = options.connections();
    this.redisOptions = new RedisOptions()
        .setType(options.cluster() ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
        .setEndpoints(options.endpoints())
        // every request in flight has a handler waiting; the lane's bound keeps well under the client's
        .setMaxWaitingHandlers(2 * options.maxInFlight())
        // RESP2 keeps the scripts' replies plain: a Lua false is nil and true is 1 (RESP3 would make them booleans)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    redisOptions.getNetClientOptions().setConnectTimeout((int) connectTimeoutMs);
    if (options.tls()) {
      // rediss://: the certificate must be trusted and name the host connected to.
      redisOptions.getNetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (options.trustedCertificates() != null) {
        redisOptions.getNetClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(options.trustedCertificates()));
      }
    }
  }

  /** Connects the shared lane and loads the scripts; fails when Redis cannot be reached now. */
  static Future<RedisConnector> connect(Vertx vertx, RedisStoreOptions options) {
    RedisConnector connector = new RedisConnector(vertx, options);
    Lane shared = connector.new Lane();
    connector.lanes.add(shared);
    return shared.attempt()
        .map(connected -> connector)
        .recover(failure -> connector.close().transform(closed -> Future.failedFuture(translate(failure))));
  }

  /** Sends one command; its outcome arrives on the caller's context. */
  Future<Response> send(Request request) {
    Context caller = Vertx.currentContext();
    long since = metrics.now();
    return onContext(caller, measured(request.command(), since,
        laneOfThread.get().submit(request).recover(failure -> Future.failedFuture(translate(failure)))));
  }

  /**
   * Runs a script by its SHA1, sending its source to a server that does not know it (after a restart, or a cluster
   * node it was never loaded on); its outcome arrives on the caller's context.
   */
  Future<Response> eval(Script script, List<String> keys, List<String> args) {
    Context caller = Vertx.currentContext();
    Lane lane = laneOfThread.get();
    long since = metrics.now();
    return onContext(caller, measured(script, since, lane.submit(script.evalSha(keys, args))
        .recover(failure -> isError(failure, "NOSCRIPT") ? lane.submit(script.eval(keys, args)) : Future.failedFuture(failure))
        .recover(failure -> Future.failedFuture(translate(failure)))));
  }

  /**
   * Counts a request once it ended, by its command or script: its time, and a failure when the store could not
   * answer (a refusal by one of our scripts is an answer).
   */
  private Future<Response> measured(Object operation, long since, Future<Response> outcome) {
    if (metrics == SwitchboardMetrics.NONE) {
      return outcome;
    }
    return outcome.onComplete(done -> metrics.storeRequest(operation instanceof Script script ? script.operation()
        : operation.toString().toLowerCase(Locale.ROOT), since, done.succeeded() ? null : unanswered(done.cause())));
  }

  private static ErrorCode unanswered(Throwable failure) {
    ErrorCode code = failure instanceof SwitchboardException known ? known.code() : null;
    return code == ErrorCode.STORE_UNAVAILABLE || code == ErrorCode.INTERNAL ? code : null;
  }

  /** The outcome on {@code caller} (when there is one), in the order outcomes were reached. */
  private static <T> Future<T> onContext(Context caller, Future<T> outcome) {
    if (caller == null) {
      return outcome;
    }
    Promise<T> onCaller = Promise.promise();
    outcome.onComplete(done -> {
      if (Vertx.currentContext() == caller) {
        onCaller.handle(done);
      } else {
        caller.runOnContext(nothing -> onCaller.handle(done));
      }
    });
    return onCaller.future();
  }

  /** Whether this is a Redis Cluster, where one step reaches the keys of one slot only. */
  boolean cluster() {
    return redisOptions.getType() == RedisClientType.CLUSTER;
  }

  /** How many requests were refused as busy (a full queue, or a wait past the request timeout) since start. */
  long refusedBusy() {
    return refusedBusy.sum();
  }

  Future<Void> close() {
    closed = true;
    return Future.join(lanes.stream().map(Lane::close).toList()).mapEmpty();
  }

  /**
   * An event loop gets a lane of its own, connected from it, while there are fewer than the most lanes allowed; any
   * other thread, or an event loop past that bound, shares one of the lanes made.
   */
  private Lane laneForThisThread() {
    synchronized (lanes) {
      if (Context.isOnEventLoopThread() && lanes.size() < maxLanes) {
        Lane own = new Lane();
        lanes.add(own);
        own.attempt();
        return own;
      }
      return lanes.get(Math.floorMod(nextShared.getAndIncrement(), lanes.size()));
    }
  }

  /** A request, its outcome, and until when (nanoTime) it may wait; when it was sent, once sent. */
  private static final class Waiting {
    final Request request;
    final Promise<Response> answer = Promise.promise();
    final long deadline;
    long sentAt;

    Waiting(Request request, long deadline) {
      this.request = request;
      this.deadline = deadline;
    }
  }

  /**
   * One connection with its bounded queue. Requests are sent, and answered, only on the connection's context; the
   * queue and the requests in flight are shared with the threads that submit, under this lane's lock.
   */
  private final class Lane {
    /** Guarded by this lane: the connection (null while there is none), and whether a reconnection is due. */
    private RedisConnection connection;
    private Context context;
    private Redis client;
    private boolean connecting;
    private String down = "not connected yet";
    private int failedAttempts;
    /** Guarded by this lane: the timer of the next connection attempt while one waits (else -1), and its context. */
    private long reconnectTimer = -1;
    private Context reconnectOn;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    /** Sent and not yet answered, oldest first: Redis answers a connection's requests in order. */
    private final ArrayDeque<Waiting> inFlight = new ArrayDeque<>();
    private boolean pumpScheduled;
    private final long sweeper;

    Lane() {
      sweeper = vertx.setPeriodic(SWEEP_MS, timer -> sweep());
    }

    Future<Response> submit(Request request) {
      Waiting waiting = new Waiting(request, System.nanoTime() + requestTimeoutNanos);
      synchronized (this) {
        if (connection == null && !connecting) {
          return Future.failedFuture(new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, down));
        }
        if (queue.size() >= maxQueued) {
          refusedBusy.increment();
          return Future.failedFuture(busy("its queue is full (" + maxQueued + " requests waiting)"));
        }
        queue.add(waiting);
        if (connection == null || pumpScheduled) {
          return waiting.answer.future();
        }
        pumpScheduled = true;
      }
      context.runOnContext(nothing -> pump());
      return waiting.answer.future();
    }

    /** On the connection's context: sends waiting requests while there is room in flight. */
    private void pump() {
      List<Waiting> expired = new ArrayList<>();
      List<Waiting> toSend = new ArrayList<>();
      RedisConnection open;
      synchronized (this) {
        pumpScheduled = false;
        open = connection;
        if (open == null) {
          return;
        }
        long now = System.nanoTime();
        while (inFlight.size() < maxInFlight && !queue.isEmpty()) {
          Waiting waiting = queue.poll();
          if (waiting.deadline - now <= 0) {
            expired.add(waiting);
          } else {
            waiting.sentAt = now;
            inFlight.add(waiting);
            toSend.add(waiting);
          }
        }
      }
      expired.forEach(this::refuseLate);
      for (Waiting waiting : toSend) {
        open.send(waiting.request).onComplete(done -> answered(waiting, done.succeeded() ? done.result() : null,
            done.failed() ? done.cause() : null));
      }
    }

    private void answered(Waiting waiting, Response response, Throwable failure) {
      boolean more;
      synchronized (this) {
        inFlight.remove(waiting);
        more = !queue.isEmpty() && connection != null && !pumpScheduled;
        if (more) {
          pumpScheduled = true;
        }
      }
      if (failure == null) {
        waiting.answer.tryComplete(response);
      } else {
        waiting.answer.tryFail(failure);
      }
      if (more) {
        pump();
      }
    }

    private void refuseLate(Waiting waiting) {
      refusedBusy.increment();
      waiting.answer.tryFail(busy("the request waited longer than " + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos)
          + " ms for its turn"));
    }

    /** Refuses requests that waited past their deadline, and takes a connection that stopped answering for lost. */
    private void sweep() {
      List<Waiting> expired = new ArrayList<>();
      boolean stuck;
      synchronized (this) {
        long now = System.nanoTime();
        queue.removeIf(waiting -> {
          if (waiting.deadline - now <= 0) {
            expired.add(waiting);
            return true;
          }
          return false;
        });
        Waiting oldest = inFlight.peek();
        stuck = oldest != null && now - oldest.sentAt > requestTimeoutNanos;
      }
      expired.forEach(this::refuseLate);
      if (stuck) {
        lost(connectionNow(), new TimeoutException());
      }
    }

    private synchronized RedisConnection connectionNow() {
      return connection;
    }

    /** Connects from the calling thread: the connection's I/O runs on the caller's context (a new one off Vert.x). */
    private Future<Void> attempt() {
      Redis attemptClient = Redis.createClient(vertx, redisOptions);
      synchronized (this) {
        connecting = true;
        client = attemptClient;
      }
      if (closed) {
        attemptClient.close();
      }
      return attemptClient.connect()
          .compose(open -> loadScripts(open).map(open))
          .timeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
          .onSuccess(open -> opened(attemptClient, open))
          .onFailure(failure -> failedToConnect(attemptClient, failure))
          .mapEmpty();
    }

    private void opened(Redis attemptClient, RedisConnection open) {
      boolean pumpNow;
      boolean restored;
      Context openedOn = vertx.getOrCreateContext();
      synchronized (this) {
        if (client != attemptClient || closed) {
          attemptClient.close();
          return;
        }
        connection = open;
        context = openedOn;
        connecting = false;
        pumpNow = !queue.isEmpty() && !pumpScheduled;
        pumpScheduled |= pumpNow;
        restored = failedAttempts > 0;
        failedAttempts = 0;
      }
      if (restored) {
        LOG.info("Redis connection restored");
        // Redis is back: the other lanes waiting out their back-off would refuse requests that could now be served
        lanes.forEach(Lane::reconnectNow);
      }
      open.exceptionHandler(failure -> lost(open, failure));
      open.endHandler(ended -> lost(open, new IllegalStateException("connection closed by the server")));
      if (pumpNow) {
        openedOn.runOnContext(nothing -> pump());
      }
    }

    private void failedToConnect(Redis attemptClient, Throwable cause) {
      synchronized (this) {
        if (client != attemptClient) {
          return;
        }
      }
      down(cause);
    }

    /** Drops a connection (once, whoever notices first) with its client, and schedules the next attempt. */
    private void lost(RedisConnection lostConnection, Throwable cause) {
      synchronized (this) {
        if (lostConnection == null || connection != lostConnection) {
          return;
        }
      }
      down(cause);
    }

    /** Fails what waits, closes the client, and tries again later. */
    private void down(Throwable cause) {
      List<Waiting> failed;
      Redis oldClient;
      int attempts;
      synchronized (this) {
        oldClient = client;
        client = null;
        connection = null;
        connecting = false;
        down = "Redis is unreachable (" + describe(cause) + "); reconnecting";
        failed = new ArrayList<>(inFlight);
        failed.addAll(queue);
        inFlight.clear();
        queue.clear();
        attempts = failedAttempts++;
      }
      SwitchboardException unavailable = new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, down);
      failed.forEach(waiting -> waiting.answer.tryFail(unavailable));
      if (oldClient != null) {
        oldClient.close();
      }
      if (closed) {
        return;
      }
      long delay = Math.min(maxReconnectDelayMs, FIRST_RECONNECT_DELAY_MS << Math.min(attempts, 20));
      if (attempts == 0) {
        LOG.warn("Redis connection lost ({}); reconnecting", describe(cause));
      }
      Context here = vertx.getOrCreateContext();
      synchronized (this) {
        reconnectOn = here;
        reconnectTimer = vertx.setTimer(delay, timer -> reconnectNow());
      }
    }

    /** Makes the waiting connection attempt now (its timer's turn, or another lane got through); else nothing. */
    private void reconnectNow() {
      Context on;
      synchronized (this) {
        if (reconnectTimer < 0 || closed) {
          return;
        }
        vertx.cancelTimer(reconnectTimer);
        reconnectTimer = -1;
        // requests made from now on wait for this attempt instead of being refused
        connecting = true;
        on = reconnectOn;
      }
      on.runOnContext(nothing -> attempt());
    }

    Future<Void> close() {
      vertx.cancelTimer(sweeper);
      Redis toClose;
      List<Waiting> waiting;
      synchronized (this) {
        vertx.cancelTimer(reconnectTimer);
        reconnectTimer = -1;
        toClose = client;
        client = null;
        connection = null;
        connecting = false;
        down = "the Redis store is closed";
        waiting = new ArrayList<>(queue);
        queue.clear();
      }
      SwitchboardException closedStore = new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "the Redis store is closed");
      waiting.forEach(request -> request.answer.tryFail(closedStore));
      return toClose == null ? Future.succeededFuture() : toClose.close();
    }
  }

  private static SwitchboardException busy(String why) {
    return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "the store is busy: " + why + "; try again");
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
          ? "Redis did not answer in time" : "Redis is unreachable: " + describe(failure));
    }
    String message = String.valueOf(reply);
    if (message.startsWith(REFUSAL)) {
      String[] refusal = message.substring(REFUSAL.length()).split(" ", 2);
      String text = refusal.length > 1 ? refusal[1] : "";
      if (INVALID_DEFINITION.equals(refusal[0])) {
        return new InvalidDefinitionException(text);
      }
      ErrorCode code = ErrorCode.ofWire(refusal[0]);
      return new SwitchboardException(code, code == ErrorCode.INTERNAL ? message : text);
    }
    String kind = message.split(" ", 2)[0];
    if (UNAVAILABLE_ERRORS.contains(kind)) {
      return new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "Redis cannot serve now: " + message);
    }
    LOG.error("Redis refused a request of the store: {}", message);
    return new SwitchboardException(ErrorCode.INTERNAL, "Redis: " + message);
  }
}
