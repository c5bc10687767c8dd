package io.switchboard.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * A Switchboard client over WebSocket or TCP (docs/CLIENTS.md): connects with a token, reconnects with jittered,
 * capped backoff (or after a {@code shutdown} frame's {@code retryAfter}), resumes every conversation it follows from
 * the last {@code seq} it delivered, and hands each message to its listeners once, in order.
 *
 * <p>Requests return futures that fail with a {@link SwitchboardException} carrying the error code; each has a
 * deadline. Methods may be called from any thread; the client's work, its listeners and its futures' callbacks run
 * on one Vert.x event loop.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.create(ClientOptions.webSocket("localhost", 8080).setToken(jwt));
 * client.addListener(new ClientListener() {
 *   public void onMessage(ServerFrame.Message message) { System.out.println(message.body()); }
 * });
 * client.connect().await();
 * ServerFrame.Opened opened = client.open("XianFengShuDian").await();
 * client.send(opened.conversation(), "hello").await();
 * }</pre>
 */
public final class SwitchboardClient {

  /** The protocol version this client speaks. */
  public static final int PROTOCOL_VERSION = 1;
  /** The close code reported for a connection the client gave up itself, or that ended without a close frame. */
  public static final int ABNORMAL_CLOSE = WebSocketLink.ABNORMAL;
  /** Most conversations followed; past it the one followed longest is forgotten (no longer resumed). */
  private static final int MAX_FOLLOWED = 10_000;
  /** Most offers remembered, to know on accept whether an offer was a transfer. */
  private static final int MAX_OFFERS = 1_000;
  /** Most users in one watch frame (docs/PROTOCOL.md). */
  private static final int MAX_WATCH = 1_000;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final ClientOptions options;
  private final WebSocketClient webSocketClient;
  private final NetClient netClient;
  private final DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  /** Last status reported per watched user; read from any thread through {@link #presenceOf}. */
  private final Map<String, ServerFrame.Presence> presence = new ConcurrentHashMap<>();

  // Everything below is touched on the client's event loop only (volatile where other threads read it).
  private volatile ClientState state = ClientState.IDLE;
  private volatile ServerFrame.Ready identity;
  /** The last seq delivered per followed conversation, kept with {@code followed}: read from any thread. */
  private final Map<String, Long> lastDelivered = new ConcurrentHashMap<>();
  private Connection connection;
  private long reconnectTimer = -1;
  private int failedAttempts;
  private boolean everReady;
  private final Map<String, Pending> pending = new HashMap<>();
  /** Ids of requests waiting for a connection, in call order. */
  private final Queue<String> queue = new ArrayDeque<>();
  private final List<Promise<Void>> waiters = new ArrayList<>();
  private final LinkedHashMap<String, Followed> followed = new LinkedHashMap<>();
  private final LinkedHashMap<String, ServerFrame.Offer> offers = new LinkedHashMap<>();
  private final Set<String> watched = new LinkedHashSet<>();
  private JsonObject status;

  private SwitchboardClient(Vertx vertx, boolean ownsVertx, ClientOptions options) {
    if (options.token() == null) {
      throw new IllegalArgumentException("the options need a token");
    }
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    if (options.transport() == ClientOptions.Transport.WEBSOCKET) {
      int connectMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
      this.webSocketClient = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxFrameSize(options.maxFrameBytes()).setMaxMessageSize(options.maxFrameBytes())
          .setConnectTimeout(connectMillis).setClosingTimeout(1));
      this.netClient = null;
    } else {
      this.webSocketClient = null;
      this.netClient = vertx.createNetClient(new NetClientOptions().setSsl(options.ssl())
          .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis())));
    }
    options.conversations().forEach(this::follow);
  }

  /** A client with a Vert.x instance of its own, closed with the client (for a plain {@code main}). */
  public static SwitchboardClient create(ClientOptions options) {
    return new SwitchboardClient(Vertx.vertx(), true, options);
  }

  /** A client on an app's Vert.x instance. Call it from a verticle to run the client on that verticle's event loop. */
  public static SwitchboardClient create(Vertx vertx, ClientOptions options) {
    return new SwitchboardClient(vertx, false, options);
  }

  public SwitchboardClient addListener(ClientListener listener) {
    listeners.add(listener);
    return this;
  }

  public void removeListener(ClientListener listener) {
    listeners.remove(listener);
  }

  public ClientState state() {
    return state;
  }

  /** The authenticated user, once ready (null before). */
  public String user() {
    ServerFrame.Ready ready = identity;
    return ready == null ? null : ready.user();
  }

  /** The session id of the latest connection, once ready. */
  public String session() {
    ServerFrame.Ready ready = identity;
    return ready == null ? null : ready.session();
  }

  /** The last status reported for a watched user, or null. */
  public String presenceOf(String user) {
    ServerFrame.Presence last = presence.get(user);
    return last == null ? null : last.status();
  }

  /** The last seq delivered in each followed conversation: keep it to resume after a restart. */
  public Map<String, Long> conversations() {
    return Map.copyOf(lastDelivered);
  }

  /**
   * Connects (if not yet) and completes once ready. Lost connections are retried, so this waits through failed
   * attempts; it fails only when the client stops: a refused token, {@link #close()}, or reconnecting turned off.
   */
  public Future<Void> connect() {
    Promise<Void> ready = Promise.promise();
    onContext(() -> {
      switch (state) {
        case READY -> ready.complete();
        case CLOSED -> ready.fail(new SwitchboardException(SwitchboardException.CLOSED, "the client is closed", null));
        default -> {
          waiters.add(ready);
          if (state == ClientState.IDLE) {
            attempt();
          }
        }
      }
    });
    return ready.future();
  }

  /** Closes the connection for good: pending requests fail with {@code closed}. */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    onContext(() -> {
      stop(new SwitchboardException(SwitchboardException.CLOSED, "the client was closed", null), false);
      closed.complete();
    });
    return closed.future()
        .compose(done -> webSocketClient != null ? webSocketClient.close() : netClient.close())
        .compose(done -> ownsVertx ? vertx.close() : Future.succeededFuture());
  }

  // --- requests

  /** Sets the user's status: online, busy or away, with optional activity text; set again after every reconnect. */
  public Future<Void> setStatus(String status, String activity) {
    JsonObject wanted = new JsonObject().put("status", status);
    if (activity != null) {
      wanted.put("activity", activity);
    }
    return request(wanted.copy().put("type", "status"), null, Hooks.onReply(reply -> this.status = wanted)).mapEmpty();
  }

  /** Watches users' presence: {@code onPresence} follows, and the watch is renewed after every reconnect. */
  public Future<Void> watch(List<String> users) {
    Future<ServerFrame> done = Future.succeededFuture();
    for (int i = 0; i < users.size(); i += MAX_WATCH) {
      List<String> chunk = List.copyOf(users.subList(i, Math.min(users.size(), i + MAX_WATCH)));
      done = done.compose(previous -> request(new JsonObject().put("type", "watch").put("users", new JsonArray(chunk)),
          null, Hooks.onReply(reply -> watched.addAll(chunk))));
    }
    return done.mapEmpty();
  }

  public Future<Void> unwatch(List<String> users) {
    onContext(() -> users.forEach(user -> {
      watched.remove(user);
      presence.remove(user);
    }));
    Future<ServerFrame> done = Future.succeededFuture();
    for (int i = 0; i < users.size(); i += MAX_WATCH) {
      List<String> chunk = List.copyOf(users.subList(i, Math.min(users.size(), i + MAX_WATCH)));
      done = done.compose(previous -> request(new JsonObject().put("type", "unwatch").put("users", new JsonArray(chunk)),
          null, Hooks.NONE));
    }
    return done.mapEmpty();
  }

  public Future<ServerFrame.Opened> open(String to) {
    return open(to, new OpenOptions());
  }

  /** Opens a conversation; completes with {@code opened} once someone accepted. */
  public Future<ServerFrame.Opened> open(String to, OpenOptions open) {
    JsonObject frame = new JsonObject().put("type", "open").put("to", to);
    if (open.context() != null) {
      frame.put("context", open.context());
    }
    Duration timeout = open.timeout() != null ? open.timeout() : options.openTimeout();
    return request(frame, timeout, new Hooks(reply -> follow(((ServerFrame.Opened) reply).conversation(), 0), null,
        open.queuedCallback()))
        .map(ServerFrame.Opened.class::cast);
  }

  /** Gives up an open waiting in a queue (extension): {@code openId} is its {@code queued} frame's id. */
  public Future<Void> cancelOpen(String openId) {
    return request(new JsonObject().put("type", "cancel").put("open", openId), null, Hooks.NONE).mapEmpty();
  }

  /** Accepts an offer; the client then follows the conversation (and, for a transfer, replays it from the start). */
  public Future<Void> accept(String conversation) {
    return request(new JsonObject().put("type", "accept").put("conversation", conversation), null, Hooks.onReply(reply -> {
      ServerFrame.Offer offer = offers.remove(conversation);
      follow(conversation, 0);
      if (offer != null && offer.transfer() != null) {
        // The new member gets the conversation so far through resume (docs/PROTOCOL.md, Transfer).
        resume(conversation, 0L).onFailure(failure -> resumeFailed(conversation, failure));
      }
    })).mapEmpty();
  }

  public Future<Void> decline(String conversation) {
    return request(new JsonObject().put("type", "decline").put("conversation", conversation), null,
        Hooks.onReply(reply -> offers.remove(conversation))).mapEmpty();
  }

  /** Sends a message; completes with its {@code ack} (the message's seq). */
  public Future<ServerFrame.Ack> send(String conversation, String body) {
    return request(new JsonObject().put("type", "send").put("conversation", conversation).put("body", body), null,
        Hooks.onReply(reply -> follow(conversation, 0)))
        .map(ServerFrame.Ack.class::cast);
  }

  public Future<Void> closeConversation(String conversation) {
    return request(new JsonObject().put("type", "close").put("conversation", conversation), null, Hooks.NONE).mapEmpty();
  }

  /** Asks again for the messages after the last seq delivered; the client does this by itself after a reconnect. */
  public Future<Void> resume(String conversation) {
    return resume(conversation, null);
  }

  /**
   * Asks for the messages after {@code after} and follows the conversation from then on. Messages already delivered
   * are not repeated.
   */
  public Future<Void> resume(String conversation, Long after) {
    Promise<Void> resumed = Promise.promise();
    onContext(() -> {
      Followed followed = follow(conversation, after == null ? 0 : after);
      long from = after != null ? after : followed.lastSeq;
      if (followed.held == null) {
        followed.held = new TreeMap<>();
      }
      request(new JsonObject().put("type", "resume").put("conversation", conversation).put("after", from), null,
          new Hooks(reply -> resumed(conversation, followed, null), error -> resumed(conversation, followed, error), null))
          .<Void>mapEmpty().onComplete(resumed);
    });
    return resumed.future();
  }

  /** A page of a conversation's transcript: at most {@code limit} (1 to 100) messages after {@code after}. */
  public Future<ServerFrame.Transcript> transcript(String conversation, long after, int limit) {
    return request(new JsonObject().put("type", "transcript").put("conversation", conversation).put("after", after)
        .put("limit", limit), null, Hooks.NONE).map(ServerFrame.Transcript.class::cast);
  }

  public Future<JsonObject> getRules() {
    return request(new JsonObject().put("type", "get-rules"), null, Hooks.NONE)
        .map(reply -> ((ServerFrame.Rules) reply).document());
  }

  public Future<Void> setRules(JsonObject document) {
    return request(new JsonObject().put("type", "set-rules").put("document", document), null, Hooks.NONE).mapEmpty();
  }

  /** Hands a conversation to another user (extension); completes once the target accepted. */
  public Future<Void> transfer(String conversation, String to, String note) {
    JsonObject frame = new JsonObject().put("type", "transfer").put("conversation", conversation).put("to", to);
    if (note != null) {
      frame.put("note", note);
    }
    return request(frame, options.openTimeout(), Hooks.NONE).mapEmpty();
  }

  /** How a message should have been handled: popup, silent, none or hold (extension). */
  public Future<Void> feedback(String conversation, long seq, String wanted) {
    return request(new JsonObject().put("type", "feedback").put("conversation", conversation).put("seq", seq)
        .put("wanted", wanted), null, Hooks.NONE).mapEmpty();
  }

  public Future<List<ServerFrame.Suggestion>> getSuggestions() {
    return request(new JsonObject().put("type", "get-suggestions"), null, Hooks.NONE)
        .map(reply -> ((ServerFrame.Suggestions) reply).suggestions());
  }

  public Future<Void> adoptSuggestion(String suggestion) {
    return request(new JsonObject().put("type", "adopt-suggestion").put("suggestion", suggestion), null, Hooks.NONE)
        .mapEmpty();
  }

  public Future<Void> dismissSuggestion(String suggestion) {
    return request(new JsonObject().put("type", "dismiss-suggestion").put("suggestion", suggestion), null, Hooks.NONE)
        .mapEmpty();
  }

  /** What the client itself does with a request's outcome, as soon as it arrives (before the app hears of it). */
  private record Hooks(Consumer<ServerFrame> onReply, Consumer<SwitchboardException> onError,
                       Consumer<ServerFrame.Queued> onQueued) {
    static final Hooks NONE = new Hooks(null, null, null);

    static Hooks onReply(Consumer<ServerFrame> onReply) {
      return new Hooks(onReply, null, null);
    }
  }

  private static final class Pending {
    final String id;
    final JsonObject frame;
    final Promise<ServerFrame> promise;
    final Hooks hooks;
    long timer;
    /** The connection it was sent on; null while it waits for one. */
    Connection sentOn;

    Pending(String id, JsonObject frame, Promise<ServerFrame> promise, Hooks hooks) {
      this.id = id;
      this.frame = frame;
      this.promise = promise;
      this.hooks = hooks;
    }
  }

  /**
   * Sends a request and completes with its reply. Sent at once when ready, else kept until the connection is ready
   * again; the deadline ({@code timeout}, or the request timeout) runs from the call either way.
   */
  private Future<ServerFrame> request(JsonObject frame, Duration timeout, Hooks hooks) {
    String id = "r" + ids.incrementAndGet();
    frame.put("id", id);
    Promise<ServerFrame> promise = Promise.promise();
    long deadline = (timeout != null ? timeout : options.requestTimeout()).toMillis();
    onContext(() -> {
      if (state == ClientState.CLOSED) {
        promise.fail(new SwitchboardException(SwitchboardException.CLOSED, "the client is closed", id));
        return;
      }
      boolean ready = connection != null && connection.ready;
      if (!ready && queue.size() >= options.maxQueuedRequests()) {
        promise.fail(new SwitchboardException(SwitchboardException.QUEUE_FULL,
            options.maxQueuedRequests() + " requests already wait for the connection", id));
        return;
      }
      Pending request = new Pending(id, frame, promise, hooks);
      request.timer = vertx.setTimer(deadline, expired -> {
        if (pending.remove(id) != null) {
          queue.remove(id);
          fail(request, new SwitchboardException(SwitchboardException.DEADLINE_EXCEEDED,
              "no reply to " + frame.getString("type") + " within " + deadline + " ms", id));
        }
      });
      pending.put(id, request);
      if (ready) {
        transmit(request);
      } else {
        queue.add(id);
      }
    });
    return promise.future();
  }

  private void transmit(Pending request) {
    if (connection != null && connection.ready) {
      request.sentOn = connection;
      write(connection, request.frame);
    }
  }

  private void write(Connection connection, JsonObject frame) {
    if (connection.link != null) {
      connection.lastSent = System.currentTimeMillis();
      connection.link.send(frame.encode());
    }
  }

  /** Completes the request {@code id} with {@code reply}; false when no request waits for it. */
  private boolean settle(String id, ServerFrame reply) {
    Pending request = id == null ? null : pending.remove(id);
    if (request == null) {
      return false;
    }
    vertx.cancelTimer(request.timer);
    if (reply instanceof ServerFrame.ErrorFrame error) {
      fail(request, new SwitchboardException(error.code(), error.message(), id));
    } else {
      if (request.hooks.onReply() != null) {
        request.hooks.onReply().accept(reply);
      }
      request.promise.tryComplete(reply);
    }
    return true;
  }

  private void fail(Pending request, SwitchboardException error) {
    if (request.hooks.onError() != null) {
      request.hooks.onError().accept(error);
    }
    request.promise.tryFail(error);
  }

  // --- connecting

  /** One connection attempt and what belongs to it; anything from a connection no longer current is dropped. */
  private final class Connection implements Link.Receiver {
    final String authId = "a" + ids.incrementAndGet();
    Link link;
    String token;
    String node;
    long heartbeat;
    long lastReceived = System.currentTimeMillis();
    long lastSent = lastReceived;
    boolean probing;
    boolean ready;
    ServerFrame.Shutdown shutdown;
    long connectTimer = -1;
    long heartbeatTimer = -1;

    @Override
    public void onText(String text) {
      receive(this, text);
    }

    @Override
    public void onEnd(int code, String reason) {
      lost(this, code, reason);
    }
  }

  private void attempt() {
    reconnectTimer = -1;
    setState(ClientState.CONNECTING);
    Connection attempt = new Connection();
    connection = attempt;
    long connectMillis = options.connectTimeout().toMillis();
    attempt.connectTimer = vertx.setTimer(connectMillis,
        expired -> lost(attempt, ABNORMAL_CLOSE, "not ready within " + connectMillis + " ms"));
    Future<String> supplied;
    try {
      supplied = options.token().get();
    } catch (RuntimeException e) {
      supplied = Future.failedFuture(e);
    }
    // The token may come from another thread: carry on on the client's event loop.
    Promise<String> token = Promise.promise();
    supplied.onComplete(result -> onContext(() -> token.handle(result)));
    token.future().compose(value -> {
          attempt.token = value;
          return connection == attempt ? connectLink(attempt) : Future.failedFuture("given up");
        })
        .onSuccess(link -> {
          if (connection == attempt) {
            attempt.link = link;
          } else {
            link.abandon();
          }
        })
        .onFailure(failure -> lost(attempt, ABNORMAL_CLOSE, "cannot connect: " + failure.getMessage()));
  }

  private Future<Link> connectLink(Connection attempt) {
    return webSocketClient != null
        ? WebSocketLink.connect(webSocketClient, options, attempt)
        : TcpLink.connect(netClient, options, attempt);
  }

  private void receive(Connection from, String text) {
    if (connection != from) {
      return;
    }
    from.lastReceived = System.currentTimeMillis();
    from.probing = false;
    ServerFrame frame;
    try {
      JsonObject json = new JsonObject(text);
      if (!(json.getValue("type") instanceof String)) {
        throw new IllegalArgumentException("a frame without a type");
      }
      frame = ServerFrame.read(json);
    } catch (DecodeException | IllegalArgumentException e) {
      emit(listener -> listener.onError(new SwitchboardException(SwitchboardException.PROTOCOL,
          "the server sent something that is not a frame: " + e.getMessage(), null)));
      return;
    }
    emit(listener -> listener.onFrame(frame));
    dispatch(from, frame);
  }

  private void dispatch(Connection from, ServerFrame frame) {
    if (frame instanceof ServerFrame.Hello hello) {
      hello(from, hello);
    } else if (frame instanceof ServerFrame.Ready ready) {
      if (from.authId.equals(ready.id())) {
        ready(from, ready);
      }
    } else if (frame instanceof ServerFrame.ErrorFrame error) {
      SwitchboardException failure = new SwitchboardException(error.code(), error.message(), error.id());
      if (from.authId.equals(error.id()) && error.code().equals("unauthenticated")) {
        // A refused token will be refused again: stop rather than retry forever.
        stop(failure, true);
      } else if (from.authId.equals(error.id())) {
        // e.g. store_unavailable: another attempt may succeed.
        lost(from, ABNORMAL_CLOSE, "auth failed: " + error.code() + " " + error.message());
      } else if (!settle(error.id(), error)) {
        emit(listener -> listener.onError(failure));
      }
    } else if (frame instanceof ServerFrame.Ok || frame instanceof ServerFrame.Ack || frame instanceof ServerFrame.Opened
        || frame instanceof ServerFrame.Rules || frame instanceof ServerFrame.Transcript) {
      settle(frame.id(), frame);
    } else if (frame instanceof ServerFrame.Suggestions suggestions) {
      if (!settle(suggestions.id(), suggestions)) {
        emit(listener -> listener.onSuggestions(suggestions));
      }
    } else if (frame instanceof ServerFrame.Message message) {
      message(message);
    } else if (frame instanceof ServerFrame.Offer offer) {
      rememberOffer(offer);
      emit(listener -> listener.onOffer(offer));
    } else if (frame instanceof ServerFrame.OfferWithdrawn withdrawn) {
      offers.remove(withdrawn.conversation());
      emit(listener -> listener.onOfferWithdrawn(withdrawn));
    } else if (frame instanceof ServerFrame.Presence change) {
      presenceChanged(change);
    } else if (frame instanceof ServerFrame.Queued queued) {
      Pending open = pending.get(queued.id());
      if (open != null && open.hooks.onQueued() != null) {
        open.hooks.onQueued().accept(queued);
      }
      emit(listener -> listener.onQueued(queued));
    } else if (frame instanceof ServerFrame.Closed closed) {
      unfollow(closed.conversation());
      emit(listener -> listener.onClosed(closed));
    } else if (frame instanceof ServerFrame.Transferred transferred) {
      emit(listener -> listener.onTransferred(transferred));
    } else if (frame instanceof ServerFrame.Notice notice) {
      emit(listener -> listener.onNotice(notice));
    } else if (frame instanceof ServerFrame.Shutdown shutdown) {
      from.shutdown = shutdown;
      emit(listener -> listener.onShutdown(shutdown));
    }
    // pong: activity, counted on receipt; an unknown type from a newer server: seen through onFrame only
  }

  private void hello(Connection from, ServerFrame.Hello hello) {
    if (hello.protocol() != PROTOCOL_VERSION) {
      stop(new SwitchboardException(SwitchboardException.PROTOCOL,
          "the server speaks protocol " + hello.protocol() + ", this client " + PROTOCOL_VERSION, null), true);
      return;
    }
    from.node = hello.node();
    from.heartbeat = hello.heartbeat();
    from.heartbeatTimer = vertx.setPeriodic(Math.max(25, hello.heartbeat() / 4), tick -> checkHeartbeat(from));
    write(from, new JsonObject().put("type", "auth").put("id", from.authId).put("token", from.token));
  }

  /**
   * After a heartbeat without a frame the client pings, to learn whether the server is still there; after two it
   * gives the connection up and reconnects. Over TCP it also pings when it has sent nothing for half a heartbeat, as
   * the server closes connections it has not heard from (a WebSocket answers the server's pings instead).
   */
  private void checkHeartbeat(Connection from) {
    long now = System.currentTimeMillis();
    long silent = now - from.lastReceived;
    if (silent >= 2 * from.heartbeat) {
      lost(from, ABNORMAL_CLOSE, "nothing heard from the server for " + silent + " ms");
    } else if (silent >= from.heartbeat && !from.probing) {
      from.probing = true;
      write(from, new JsonObject().put("type", "ping"));
    } else if (from.ready && from.link.needsKeepAlive() && now - from.lastSent >= from.heartbeat / 2) {
      write(from, new JsonObject().put("type", "ping"));
    }
  }

  private void ready(Connection from, ServerFrame.Ready ready) {
    vertx.cancelTimer(from.connectTimer);
    from.ready = true;
    failedAttempts = 0;
    boolean reconnected = everReady;
    everReady = true;
    identity = ready;
    // Everything that arrives from now on for a followed conversation (the mailbox, live messages) is held until
    // its resume is answered, then delivered in seq order.
    List<String> toResume = List.copyOf(followed.keySet());
    toResume.forEach(conversation -> followed.get(conversation).held = new TreeMap<>());
    setState(ClientState.READY);
    restore(toResume);
    ClientListener.Ready event = new ClientListener.Ready(ready.user(), ready.session(), from.node, reconnected);
    emit(listener -> listener.onReady(event));
    List<Promise<Void>> ended = List.copyOf(waiters);
    waiters.clear();
    ended.forEach(Promise::tryComplete);
  }

  /** After a (re)connect: the status and the watches again, a resume per conversation, then queued requests. */
  private void restore(List<String> toResume) {
    if (status != null) {
      request(status.copy().put("type", "status"), null, Hooks.NONE)
          .onFailure(failure -> emit(listener -> listener.onError(asSwitchboard(failure))));
    }
    List<String> users = List.copyOf(watched);
    for (int i = 0; i < users.size(); i += MAX_WATCH) {
      request(new JsonObject().put("type", "watch").put("users", new JsonArray(users.subList(i, Math.min(users.size(), i + MAX_WATCH)))),
          null, Hooks.NONE).onFailure(failure -> emit(listener -> listener.onError(asSwitchboard(failure))));
    }
    toResume.forEach(conversation -> resume(conversation).onFailure(failure -> resumeFailed(conversation, failure)));
    List<String> waiting = List.copyOf(queue);
    queue.clear();
    waiting.forEach(id -> {
      Pending request = pending.get(id);
      if (request != null) {
        transmit(request);
      }
    });
  }

  /**
   * The connection is gone (closed by either side, or given up): requests sent on it fail with
   * {@code disconnected}, and the client waits before the next attempt: the shutdown frame's {@code retryAfter} when
   * the node said it is going away, else the backoff.
   */
  private void lost(Connection from, int code, String reason) {
    if (connection != from) {
      return;
    }
    connection = null;
    dispose(from);
    // Requests sent on it fail once the client's state says what comes next, so that their callbacks see it.
    List<Pending> cut = pending.values().stream().filter(request -> request.sentOn == from).toList();
    cut.forEach(request -> {
      pending.remove(request.id);
      vertx.cancelTimer(request.timer);
    });
    // Messages held for a resume that did not finish come again with the next one.
    followed.values().forEach(conversation -> conversation.held = null);
    String why = code + (reason.isEmpty() ? "" : " " + reason);
    ServerFrame.Shutdown shutdown = from.shutdown;
    if (state == ClientState.CLOSED) {
      // closed by the app meanwhile
    } else if (!options.reconnect() || (shutdown != null && !shutdown.reconnect())) {
      emit(listener -> listener.onDisconnected(new ClientListener.Disconnected(code, reason, null)));
      stop(new SwitchboardException(SwitchboardException.CLOSED, "the connection closed (" + why + ")", null), false);
    } else {
      long delay;
      if (shutdown != null) {
        failedAttempts = 0;
        delay = Backoff.afterShutdown(shutdown.retryAfter(), random);
      } else {
        delay = options.backoff().delay(failedAttempts++, random);
      }
      setState(ClientState.WAITING);
      emit(listener -> listener.onDisconnected(new ClientListener.Disconnected(code, reason, delay)));
      reconnectTimer = vertx.setTimer(Math.max(1, delay), timer -> attempt());
    }
    cut.forEach(request -> fail(request, new SwitchboardException(SwitchboardException.DISCONNECTED,
        "the connection was lost before the reply (" + why + ")", request.id)));
  }

  private void dispose(Connection from) {
    vertx.cancelTimer(from.connectTimer);
    vertx.cancelTimer(from.heartbeatTimer);
    from.ready = false;
    if (from.link != null) {
      from.link.abandon();
    }
  }

  /** Stops for good: no more attempts, every request failed with {@code error}. */
  private void stop(SwitchboardException error, boolean report) {
    if (state == ClientState.CLOSED) {
      return;
    }
    setState(ClientState.CLOSED);
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    Connection current = connection;
    connection = null;
    if (current != null) {
      dispose(current);
    }
    for (Pending request : List.copyOf(pending.values())) {
      settle(request.id, new ServerFrame.ErrorFrame(request.id, error.code(), error.getMessage()));
    }
    queue.clear();
    List<Promise<Void>> ended = List.copyOf(waiters);
    waiters.clear();
    ended.forEach(waiter -> waiter.tryFail(error));
    if (report) {
      emit(listener -> listener.onError(error));
    }
  }

  private void setState(ClientState next) {
    if (state != next) {
      state = next;
      emit(listener -> listener.onState(next));
    }
  }

  // --- conversations

  /** A conversation the client follows: the last seq delivered and, while it resumes, what arrived meanwhile. */
  private static final class Followed {
    long lastSeq;
    /** Messages held while a resume runs, by seq; null when not resuming. */
    TreeMap<Long, ServerFrame.Message> held;

    Followed(long lastSeq) {
      this.lastSeq = lastSeq;
    }
  }

  private Followed follow(String conversation, long lastSeq) {
    Followed known = followed.get(conversation);
    if (known == null) {
      if (followed.size() >= MAX_FOLLOWED) {
        Iterator<String> oldest = followed.keySet().iterator();
        lastDelivered.remove(oldest.next());
        oldest.remove();
      }
      known = new Followed(lastSeq);
      followed.put(conversation, known);
      lastDelivered.put(conversation, lastSeq);
    }
    return known;
  }

  private void unfollow(String conversation) {
    followed.remove(conversation);
    lastDelivered.remove(conversation);
  }

  /** Delivers a message once and in order: held while its conversation resumes, dropped if already delivered. */
  private void message(ServerFrame.Message message) {
    Followed known = follow(message.conversation(), 0);
    if (known.held != null) {
      if (message.seq() > known.lastSeq) {
        known.held.put(message.seq(), message);
      }
      if (known.held.size() > options.maxResumeBuffer()) {
        // Bounded: deliver what is held now and the rest as it comes.
        release(known);
      }
      return;
    }
    deliver(known, message);
  }

  private void deliver(Followed known, ServerFrame.Message message) {
    if (message.seq() > known.lastSeq) {
      known.lastSeq = message.seq();
      // Before the listener hears of it: whoever reacts to a message reads a seq that includes it.
      lastDelivered.put(message.conversation(), message.seq());
      emit(listener -> listener.onMessage(message));
    }
  }

  private void resumed(String conversation, Followed known, SwitchboardException error) {
    if (followed.get(conversation) == known && known.held != null) {
      release(known);
    }
    if (error != null && List.of("gone", "forbidden", "not_found").contains(error.code())) {
      unfollow(conversation);
    }
  }

  private void release(Followed known) {
    TreeMap<Long, ServerFrame.Message> held = known.held;
    known.held = null;
    if (held != null) {
      held.values().forEach(message -> deliver(known, message));
    }
  }

  /** A resume cut short by the connection is tried again on the next one; other failures are the app's to know. */
  private void resumeFailed(String conversation, Throwable failure) {
    SwitchboardException error = asSwitchboard(failure);
    if (!error.code().equals(SwitchboardException.DISCONNECTED) && !error.code().equals(SwitchboardException.CLOSED)) {
      emit(listener -> listener.onResumeFailed(conversation, error));
    }
  }

  private void rememberOffer(ServerFrame.Offer offer) {
    offers.remove(offer.conversation());
    if (offers.size() >= MAX_OFFERS) {
      Iterator<String> oldest = offers.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    offers.put(offer.conversation(), offer);
  }

  /** Reports a watched user's status only when it changed: re-watching after a reconnect repeats unchanged ones. */
  private void presenceChanged(ServerFrame.Presence change) {
    ServerFrame.Presence last = presence.get(change.user());
    if (last != null && last.status().equals(change.status())) {
      return;
    }
    if (watched.contains(change.user())) {
      presence.put(change.user(), change);
    }
    emit(listener -> listener.onPresence(change));
  }

  // --- plumbing

  private static SwitchboardException asSwitchboard(Throwable failure) {
    return failure instanceof SwitchboardException known ? known
        : new SwitchboardException(SwitchboardException.PROTOCOL, String.valueOf(failure.getMessage()), null);
  }

  /** Runs on the client's event loop: at once when already there. */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(nothing -> action.run());
    }
  }

  /**
   * Calls each listener. One that throws does not stop the others nor the client: its exception is rethrown on the
   * event loop, where Vert.x reports it (the context's exception handler, or its log).
   */
  private void emit(Consumer<ClientListener> call) {
    for (ClientListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        context.runOnContext(nothing -> {
          throw e;
        });
      }
    }
  }
}
