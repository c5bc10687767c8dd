package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.AnswerRequest;
import io.switchboard.contract.CloseRequest;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.LogIds;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.OpenAccepted;
import io.switchboard.contract.OpenOutcome;
import io.switchboard.contract.OpenRequest;
import io.switchboard.contract.OpenResult;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.SwitchboardMetrics.Authentication;
import io.switchboard.contract.TransferRequest;
import io.switchboard.contract.UserEvent;
import io.switchboard.conversation.Conversation;
import io.switchboard.directory.Geo;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.rules.InvalidRulesException;
import io.switchboard.rules.RulesDocument;
import io.switchboard.store.Mailbox;
import io.switchboard.conversation.TranscriptEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;

/**
 * One client connection speaking the protocol (PROTOCOL.md): authentication, then requests turned into store
 * operations and event-bus requests, and events of its user turned into frames.
 */
final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  /** Frames a client may send after {@code auth} before {@code ready}; they are handled once ready. */
  private static final int MAX_EARLY_FRAMES = 64;
  /** Most events held back while the mailbox is delivered (a mailbox holds at most a thousand messages). */
  private static final int MAX_CAUGHT_UP = 10_000;
  private static final int MAX_WATCH = 1000;
  /**
   * Users one connection may watch at once, and how many it may ask the presence of, on average per second: a watch
   * costs the store a read per user, so one client cannot keep the store busy for everyone.
   */
  private static final int MAX_WATCHED = 1000;
  private static final double WATCHES_PER_SECOND = 100;
  /**
   * Requests of one connection waiting for the store or the cluster: past this many, the connection is not read
   * until half of them are answered (back-pressure from the store to the connections that feed it).
   */
  static final int MAX_BUSY = 32;
  /** The same bound as rules' activity conditions, so any activity a client reports can be matched. */
  private static final int MAX_ACTIVITY_CHARS = io.switchboard.rules.Condition.MAX_ACTIVITY_CHARS;
  /** Longest note an agent leaves for the member it transfers a conversation to. */
  static final int MAX_NOTE_CHARS = 1000;
  /** Most messages in one transcript page, and how many a page has when the client gives no limit. */
  static final int MAX_TRANSCRIPT_PAGE = 100;
  /** Most bytes of messages in one transcript page (fewer when the outbound buffer is small): a page ends early past it. */
  static final int MAX_TRANSCRIPT_PAGE_BYTES = 1 << 20;

  private enum State { NEW, AUTHENTICATING, READY, CLOSED }

  private final Gateway gateway;
  private final Connection connection;
  private final String id;
  private final Set<String> watching = new HashSet<>();
  private final Queue<Buffer> earlyFrames = new ArrayDeque<>();
  private final List<UserEvent> earlyEvents = new ArrayList<>();
  /** Events that arrived while the mailbox was being delivered; they follow it. */
  private final List<UserEvent> caughtUpWith = new ArrayList<>();
  private boolean catchingUp;
  /** Catch-ups asked for and not finished, and the last of them: one sends at a time, in the order asked. */
  private int catchUpsPending;
  private Future<Void> lastCatchUp = Future.succeededFuture();
  private final RateLimiter rateLimiter;
  private final RateLimiter watchLimiter;
  /** Requests waiting for the store or the cluster. */
  private int busy;
  /** This session's opens and transfers waiting for their outcome ({@link #openEnded}, {@link #transferEnded}). */
  private int pendingOpens;
  /** Set by {@link #goAway}: the client was told to reconnect elsewhere, and the connection closes once answered. */
  private boolean goingAway;
  private boolean readingPaused;
  private final Promise<Void> closed = Promise.promise();
  private State state = State.NEW;
  private String user;
  /** The status and activity the user last set through this session, restored if presence must record it anew. */
  private Status status = Status.ONLINE;
  private String activity;
  /** The user's directory entry as of authentication: its position and attributes feed routing. */
  private User profile;
  private long lastHeard;
  private boolean nudged;
  private final long authTimer;

  Session(Gateway gateway, Connection connection, String id) {
    this.gateway = gateway;
    this.connection = connection;
    this.id = id;
    this.lastHeard = gateway.clock.millis();
    this.rateLimiter = new RateLimiter(gateway.options.framesPerSecond(), lastHeard);
    this.watchLimiter = new RateLimiter(WATCHES_PER_SECOND, MAX_WATCHED, lastHeard);
    this.authTimer = gateway.vertx.setTimer(gateway.options.authTimeout().toMillis(), timer -> authTimedOut());
  }

  private static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  /** A connection that is not ready by the auth timeout is closed, whatever it sent meanwhile (pings included). */
  private void authTimedOut() {
    if (state == State.READY || state == State.CLOSED) {
      return;
    }
    gateway.counters.authTimeout();
    gateway.metrics.authentication(Authentication.TIMED_OUT);
    send(Frames.error(null, ErrorCode.UNAUTHENTICATED,
        "authenticate within " + seconds(gateway.options.authTimeout()) + " s"));
    close(Connection.CloseReason.AUTH_TIMEOUT);
  }

  String id() {
    return id;
  }

  String user() {
    return user;
  }

  Set<String> watching() {
    return watching;
  }

  void send(JsonObject frame) {
    if (state != State.CLOSED) {
      connection.send(frame);
    }
  }

  /** Anything heard from the client, frames and WebSocket pongs alike, keeps the connection alive. */
  void touch() {
    lastHeard = gateway.clock.millis();
    nudged = false;
  }

  void checkIdle(long now, long heartbeat) {
    long silent = now - lastHeard;
    if (silent >= 2 * heartbeat) {
      close(Connection.CloseReason.IDLE);
    } else if (silent >= heartbeat && !nudged) {
      nudged = true;
      connection.nudge();
    }
  }

  /** Input the transport refused before it became a frame (too large, binary, not UTF-8). */
  void refuse(ErrorCode code, String message) {
    fail(null, new SwitchboardException(code, message));
  }

  void onFrame(Buffer bytes) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.AUTHENTICATING) {
      if (earlyFrames.size() < MAX_EARLY_FRAMES) {
        earlyFrames.add(bytes);
      } else {
        fail(Frames.idOf(bytes), new SwitchboardException(ErrorCode.RATE_LIMITED,
            "wait for ready before sending more frames"));
      }
      return;
    }
    JsonObject frame;
    try {
      frame = Frames.parse(bytes);
    } catch (SwitchboardException e) {
      fail(null, e);
      return;
    }
    String requestId = frame.getString("id");
    if (goingAway && !"ping".equals(frame.getString("type"))) {
      fail(requestId, new SwitchboardException(ErrorCode.UNAVAILABLE,
          "this node is shutting down: reconnect and send it again"));
      return;
    }
    if (!rateLimiter.tryAcquire(gateway.clock.millis())) {
      fail(requestId, new SwitchboardException(ErrorCode.RATE_LIMITED,
          "at most " + gateway.options.framesPerSecond() + " frames per second"));
      return;
    }
    try {
      handle(frame.getString("type"), requestId, frame);
    } catch (RuntimeException e) {
      fail(requestId, e);
    }
  }

  private void handle(String type, String requestId, JsonObject frame) {
    if ("ping".equals(type)) {
      send(Frames.reply("pong", requestId));
      return;
    }
    if ("auth".equals(type)) {
      if (state != State.NEW) {
        throw Frames.badFrame("already authenticated");
      }
      authenticate(requestId, frame);
      return;
    }
    if (state != State.READY) {
      throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "authenticate first");
    }
    switch (type) {
      case "status" -> setStatus(requestId, frame);
      case "watch" -> watch(requestId, frame);
      case "unwatch" -> unwatch(requestId, frame);
      case "open" -> open(requestId, frame);
      case "cancel" -> cancel(requestId, frame);
      case "accept" -> answer(requestId, frame, true);
      case "decline" -> answer(requestId, frame, false);
      case "send" -> sendMessage(requestId, frame);
      case "close" -> closeConversation(requestId, frame);
      case "transfer" -> transfer(requestId, frame);
      case "resume" -> resume(requestId, frame);
      case "transcript" -> transcript(requestId, frame);
      case "get-rules" -> getRules(requestId);
      case "set-rules" -> setRules(requestId, frame);
      case "feedback" -> feedback(requestId, frame);
      case "get-suggestions" -> busy(gateway.adaptive.suggestions(user))
          .onSuccess(suggestions -> send(Frames.suggestions(requestId, suggestions)))
          .onFailure(failure -> fail(requestId, failure));
      case "adopt-suggestion" -> busy(gateway.adaptive.adopt(user, Frames.requiredString(frame, "suggestion")))
          .onSuccess(adopted -> ok(requestId))
          .onFailure(failure -> fail(requestId, failure));
      case "dismiss-suggestion" -> busy(gateway.adaptive.dismiss(user, Frames.requiredString(frame, "suggestion")))
          .onSuccess(dismissed -> ok(requestId))
          .onFailure(failure -> fail(requestId, failure));
      default -> throw new SwitchboardException(ErrorCode.UNKNOWN_TYPE, "unknown frame type " + type);
    }
  }

  private void fail(String requestId, Throwable failure) {
    SwitchboardException error = SwitchboardException.of(failure);
    if (error.code() == ErrorCode.INTERNAL) {
      LogIds.log(() -> LOG.error("internal error on session {} request {}", id, requestId, failure),
          LogIds.SESSION, id, LogIds.USER, user);
    }
    send(Frames.error(requestId, error.code(), error.getMessage()));
    if (error.code().closesConnection()) {
      close(error.code() == ErrorCode.TOO_LARGE ? Connection.CloseReason.TOO_LARGE : Connection.CloseReason.POLICY);
    }
  }

  private void ok(String requestId) {
    send(Frames.reply("ok", requestId));
  }

  private void close(Connection.CloseReason reason) {
    if (state != State.CLOSED) {
      connection.close(reason);
    }
  }

  /** The transport is gone: forget the session and, once it was attached, tell presence. */
  void onClosed() {
    State was = state;
    state = State.CLOSED;
    gateway.vertx.cancelTimer(authTimer);
    gateway.metrics.connectionClosed(connection.transport());
    gateway.forget(this);
    if (was == State.READY) {
      gateway.detach(this).onComplete(detached -> closed.tryComplete());
    } else {
      closed.tryComplete();
    }
  }

  /** Completes once the connection is gone and presence knows it. */
  Future<Void> closed() {
    return closed.future();
  }

  // --- connecting

  private void authenticate(String requestId, JsonObject frame) {
    Object token = frame.getValue("token");
    if (!(token instanceof String jwt) || jwt.isEmpty()) {
      gateway.metrics.authentication(Authentication.REJECTED);
      throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "auth needs a token");
    }
    state = State.AUTHENTICATING;
    gateway.tokens.verify(jwt)
        .recover(invalid -> Future.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED, invalid.getMessage())))
        .compose(claims -> {
          if (!(claims.getValue("sub") instanceof String subject) || subject.isEmpty()) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED, "the token has no sub claim"));
          }
          return gateway.directory.user(subject).compose(known -> known == null
              ? Future.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED, "unknown user " + subject))
              : Future.succeededFuture(known));
        })
        .compose(known -> {
          user = known.id();
          profile = known;
          return gateway.attach(this);
        })
        .onSuccess(attached -> {
          if (state == State.CLOSED) {
            gateway.detach(this);
            return;
          }
          state = State.READY;
          gateway.vertx.cancelTimer(authTimer);
          gateway.metrics.authentication(Authentication.ACCEPTED);
          send(Frames.reply("ready", requestId).put("user", user).put("session", id));
          if (goingAway) {
            // The node began stopping meanwhile: the mailbox waits for the client's next connection.
            handleEarlyFrames();
            leaveWhenAnswered();
            return;
          }
          // What arrived while authenticating came live, after what waited in the mailbox: it follows it.
          caughtUpWith.addAll(earlyEvents);
          earlyEvents.clear();
          catchUp(gateway.messages.drainMailbox(user));
          handleEarlyFrames();
        })
        .onFailure(failure -> {
          if (state == State.CLOSED) {
            return;
          }
          gateway.metrics.authentication(SwitchboardException.of(failure).code() == ErrorCode.UNAUTHENTICATED
              ? Authentication.REJECTED : Authentication.FAILED);
          state = State.NEW;
          user = null;
          profile = null;
          earlyFrames.clear();
          earlyEvents.clear();
          fail(requestId, failure);
          leaveWhenAnswered();
        });
  }

  /**
   * Delivers the mailbox's messages and the events that arrive meanwhile, at the client's reading pace: the messages
   * of each conversation once each and in {@code seq} order (a message may be in both, and either may hold the older
   * ones), then the other events in the order they came. From now until all that is sent, events for this session
   * wait (at most {@link #MAX_CAUGHT_UP} of them): messages queued while the user had no connection are older than
   * those sent once it had one again, so they go first. A catch-up asked for while one is sending (the node announced
   * its sessions again) starts once that one has sent what it had: two sending at once would interleave their seqs.
   */
  void catchUp(Future<Mailbox> mailbox) {
    catchingUp = true;
    catchUpsPending++;
    Future<List<UserEvent>> waited = mailbox.onSuccess(drained -> gateway.metrics.mailboxDrained(drained.messages().size()))
        .map(Session::waited)
        .recover(failure -> {
          if (state != State.CLOSED) {
            // The mailbox may have been emptied with its answer lost: a client that stayed would never see what
            // it held. Told to reconnect, it resumes its conversations from the transcript, which has it all.
            LogIds.log(() -> LOG.warn("could not deliver the mailbox of {}: {}; its session closes so that the client"
                    + " reconnects and resumes", user, failure.getMessage()),
                LogIds.SESSION, id, LogIds.USER, user);
            goAway();
          }
          return Future.succeededFuture(List.of());
        });
    lastCatchUp = lastCatchUp.transform(previous -> waited.compose(this::sendCaughtUp));
  }

  /**
   * The mailbox's messages, then a {@code mailbox-full} notice when it refused some, and a {@code held-full} one when
   * the full held list refused some meanwhile (docs/PROTOCOL.md §Bounds of waiting messages).
   */
  private static List<UserEvent> waited(Mailbox mailbox) {
    List<UserEvent> waited = new ArrayList<>(mailbox.messages());
    if (mailbox.refused() > 0) {
      waited.add(new NoticeEvent(NoticeEvent.MAILBOX_FULL, null, null, mailbox.refused()));
    }
    if (mailbox.refusedHeld() > 0) {
      waited.add(new NoticeEvent(NoticeEvent.HELD_FULL, null, null, mailbox.refusedHeld()));
    }
    return waited;
  }

  private Future<Void> sendCaughtUp(List<UserEvent> waited) {
    Map<List<Object>, MessageEvent> messages = new TreeMap<>(Comparator
        .comparing((List<Object> key) -> (String) key.get(0)).thenComparing(key -> (Long) key.get(1)));
    List<UserEvent> others = new ArrayList<>();
    waited.forEach(event -> {
      if (event instanceof MessageEvent message) {
        messages.putIfAbsent(List.of(message.conversation(), message.seq()), message);
      } else {
        others.add(event);
      }
    });
    for (UserEvent event : caughtUpWith) {
      if (event instanceof MessageEvent message) {
        messages.putIfAbsent(List.of(message.conversation(), message.seq()), message);
      } else {
        others.add(event);
      }
    }
    caughtUpWith.clear();
    List<UserEvent> inOrder = new ArrayList<>(messages.values());
    inOrder.addAll(others);
    return sendPaced(inOrder.iterator()).transform(sent -> {
      // what came meanwhile goes now, unless a later catch-up takes it with its own mailbox
      if (state == State.READY && !caughtUpWith.isEmpty() && catchUpsPending == 1) {
        return sendCaughtUp(List.of());
      }
      if (--catchUpsPending == 0) {
        catchingUp = false;
      }
      return sent.succeeded() ? Future.succeededFuture() : Future.failedFuture(sent.cause());
    });
  }

  boolean isReady() {
    return state == State.READY;
  }

  /**
   * After presence recorded this session anew (the node's lease had been taken away), the user gets back the
   * status it had set.
   */
  Future<Void> restoreStatus() {
    if (status == Status.ONLINE && activity == null) {
      return Future.succeededFuture();
    }
    return gateway.roles.idempotent(Addresses.PRESENCE_SET, new StatusRequest(user, status, activity))
        .mapEmpty();
  }

  /**
   * The node is stopping, or cannot serve this session: the client is told to reconnect elsewhere ({@code shutdown}),
   * requests it sends from now on are refused ({@code unavailable}), and the connection closes (WebSocket 1001) as
   * soon as the requests it had sent are answered, opens included; {@link #leave} cuts that short.
   */
  void goAway() {
    if (state == State.CLOSED || goingAway) {
      return;
    }
    goingAway = true;
    send(Frames.shutdown());
    leaveWhenAnswered();
  }

  /** After {@link #goAway}: closes now, whatever is still unanswered (the node's shutdown grace is over). */
  void leave() {
    close(Connection.CloseReason.GOING_AWAY);
  }

  private void leaveWhenAnswered() {
    if (goingAway && busy == 0 && pendingOpens == 0 && state != State.AUTHENTICATING) {
      leave();
    }
  }

  private void handleEarlyFrames() {
    while (!earlyFrames.isEmpty() && state == State.READY) {
      onFrame(earlyFrames.poll());
    }
  }

  /** An event for this session's user: a frame now, or after {@code ready} while authentication finishes. */
  void deliver(UserEvent event) {
    if (state == State.READY && catchingUp) {
      if (caughtUpWith.size() < MAX_CAUGHT_UP) {
        caughtUpWith.add(event);
      } else {
        // the client finds it with resume: every message is in the transcript
        LogIds.log(() -> LOG.warn("session {} of {} is catching up with too many events; one is left to resume", id,
            user), LogIds.SESSION, id, LogIds.USER, user);
      }
    } else if (state == State.READY) {
      send(Frames.event(event));
    } else if (state == State.AUTHENTICATING) {
      earlyEvents.add(event);
    }
  }

  // --- presence

  private void setStatus(String requestId, JsonObject frame) {
    Status status = Status.parse(Frames.optionalString(frame, "status"));
    if (status == null || status == Status.OFFLINE) {
      throw Frames.badFrame("status must be online, busy or away");
    }
    String activity = Frames.optionalString(frame, "activity");
    if (activity != null && activity.length() > MAX_ACTIVITY_CHARS) {
      throw Frames.badFrame("activity is at most " + MAX_ACTIVITY_CHARS + " characters");
    }
    busy(gateway.roles.idempotent(Addresses.PRESENCE_SET, new StatusRequest(user, status, activity)))
        .onSuccess(reply -> {
          this.status = status;
          this.activity = activity;
          ok(requestId);
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  private void watch(String requestId, JsonObject frame) {
    List<String> users = Frames.userList(frame, "users", MAX_WATCH).stream().distinct().toList();
    List<String> added = users.stream().filter(watched -> !watching.contains(watched)).toList();
    if (watching.size() + added.size() > MAX_WATCHED) {
      throw new SwitchboardException(ErrorCode.RATE_LIMITED, "a connection watches at most " + MAX_WATCHED
          + " users; unwatch some first");
    }
    if (!watchLimiter.tryAcquire(users.size(), gateway.clock.millis())) {
      throw new SwitchboardException(ErrorCode.RATE_LIMITED, "a connection asks the presence of at most "
          + (int) WATCHES_PER_SECOND + " users a second on average (" + MAX_WATCHED + " at once)");
    }
    // Watch before asking, so that no change between the answer and the watch is missed.
    added.forEach(watched -> gateway.watch(this, watched));
    busy(gateway.roles.idempotent(Addresses.PRESENCE_QUERY, new JsonObject().put("users", new JsonArray(users))))
        .onSuccess(reply -> {
          ok(requestId);
          JsonArray presence = ((JsonObject) reply.body()).getJsonArray("presence");
          for (int i = 0; i < presence.size(); i++) {
            send(Frames.presence(PresenceChange.fromJson(presence.getJsonObject(i))));
          }
        })
        .onFailure(failure -> {
          added.forEach(watched -> gateway.unwatch(this, watched));
          fail(requestId, failure);
        });
  }

  private void unwatch(String requestId, JsonObject frame) {
    Frames.userList(frame, "users", MAX_WATCH).forEach(watched -> gateway.unwatch(this, watched));
    ok(requestId);
  }

  // --- conversations

  /** The directory changed this user's profile: its next opens route with the new one. */
  void profileChanged(User changed) {
    if (profile != null) {
      profile = changed;
    }
  }

  private void open(String requestId, JsonObject frame) {
    String to = Frames.requiredString(frame, "to");
    JsonObject requested = Frames.optionalObject(frame, "context");
    Geo geo;
    try {
      geo = Geo.fromJson(requested.getValue("geo"));
    } catch (InvalidDefinitionException e) {
      throw Frames.badFrame("context." + e.getMessage());
    }
    // The request's context overrides the source's profile for this request (PROTOCOL.md §Opening).
    Geo sourceGeo = geo != null ? geo : profile.geo();
    JsonObject context = new JsonObject()
        .put("geo", sourceGeo == null ? null : sourceGeo.toJson())
        .put("attributes", profile.attributes().copy().mergeIn(Frames.optionalObject(requested, "attributes")));
    String key = gateway.opens.add(this, requestId, to);
    pendingOpens++;
    busy(gateway.roles.once(Addresses.ROUTER_OPEN, new OpenRequest(user, to, context, gateway.id, key)))
        .onSuccess(reply -> gateway.opens.routedBy(key, ((OpenAccepted) reply.body()).node()))
        .onFailure(failure -> gateway.opens.fail(key, failure));
  }

  /** Extension: withdraws this connection's waiting open {@code open}, which then ends with {@code cancelled}. */
  private void cancel(String requestId, JsonObject frame) {
    String open = Frames.requiredString(frame, "open");
    busy(gateway.opens.cancel(this, open))
        .onSuccess(done -> ok(requestId))
        .onFailure(failure -> fail(requestId, failure));
  }

  /** This session's open {@code requestId} waits in the queue of {@code to} at {@code position}. */
  void queued(String requestId, String to, int position, Long estimatedWait) {
    send(Frames.reply("queued", requestId).put("to", to).put("position", position)
        .put("estimatedWait", estimatedWait));
  }

  /** The outcome of this session's open {@code requestId}: {@code opened}, or the error. */
  void openEnded(String requestId, OpenOutcome outcome) {
    pendingOpens--;
    if (outcome.opened() == null) {
      fail(requestId, outcome.failure());
    } else {
      OpenResult opened = outcome.opened();
      if (outcome.conversation() != null) {
        gateway.deliveries.remember(Conversation.fromJson(outcome.conversation()));
      }
      send(Frames.reply("opened", requestId).put("conversation", opened.conversation()).put("to", opened.to())
          .put("agent", opened.agent()));
    }
    leaveWhenAnswered();
  }

  /** Extension (PROTOCOL.md §Transfer): the agent hands its conversation to a user or a virtual user. */
  private void transfer(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    String to = Frames.requiredString(frame, "to");
    String note = Frames.optionalString(frame, "note");
    if (note != null && note.length() > MAX_NOTE_CHARS) {
      throw Frames.badFrame("note is at most " + MAX_NOTE_CHARS + " characters");
    }
    String key = gateway.opens.addTransfer(this, requestId, to);
    pendingOpens++;
    busy(gateway.roles.once(Addresses.ROUTER_TRANSFER, new TransferRequest(conversation, user, to, note, gateway.id, key)))
        .onSuccess(reply -> gateway.opens.routedBy(key, ((OpenAccepted) reply.body()).node()))
        .onFailure(failure -> gateway.opens.fail(key, failure));
  }

  /** The outcome of this session's transfer {@code requestId}: {@code ok} (its {@code closed} follows), or the error. */
  void transferEnded(String requestId, OpenOutcome outcome) {
    pendingOpens--;
    if (outcome.opened() == null) {
      fail(requestId, outcome.failure());
    } else {
      ok(requestId);
    }
    leaveWhenAnswered();
  }

  private void answer(String requestId, JsonObject frame, boolean accept) {
    String conversation = Frames.requiredString(frame, "conversation");
    String answerAddress = gateway.takeOffer(this, conversation);
    if (answerAddress == null) {
      throw new SwitchboardException(ErrorCode.GONE, "no offer of " + conversation + " is waiting for you");
    }
    busy(request(answerAddress, new AnswerRequest(conversation, user, accept, gateway.id),
        new DeliveryOptions().setSendTimeout(RoleRequests.TIMEOUT_MILLIS)))
        .onSuccess(reply -> {
          JsonObject opened = (JsonObject) reply.body();
          if (accept && opened.containsKey("id")) {
            gateway.deliveries.remember(Conversation.fromJson(opened));
          }
          ok(requestId);
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  private void sendMessage(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    if (!(frame.getValue("body") instanceof String body)) {
      throw Frames.badFrame("body must be a string");
    }
    busy(gateway.deliveries.send(user, conversation, body, false))
        .onSuccess(delivery -> {
          gateway.metrics.messageAcked();
          send(Frames.reply("ack", requestId).put("conversation", conversation).put("seq", delivery.event().seq()));
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  /**
   * Extension: re-sends the messages this user received in a conversation after {@code after}, then {@code ok};
   * a client that lost its connection (or its node) resumes from the last {@code seq} it saw. The messages go
   * out as fast as the client reads them, so a long backlog never fills the outbound buffer of a reading client.
   */
  private void resume(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    if (!(frame.getValue("after") instanceof Number after) || after.longValue() < 0) {
      throw Frames.badFrame("after must be the last seq received (0 for everything)");
    }
    busy(gateway.messages.messagesAfter(conversation, user, after.longValue()))
        .compose(messages -> sendPaced(messages.iterator()))
        .onSuccess(sent -> ok(requestId))
        .onFailure(failure -> {
          if (state != State.CLOSED) {
            fail(requestId, failure);
          }
        });
  }

  /**
   * Sends each message once the outbound buffer has room for it; fails if the connection closes first (the
   * messages not sent stay in the transcript, for the next resume).
   */
  private Future<Void> sendPaced(Iterator<? extends UserEvent> messages) {
    while (messages.hasNext()) {
      if (state == State.CLOSED) {
        return Future.failedFuture("the connection closed");
      }
      Future<Void> room = connection.room();
      if (!room.succeeded()) {
        return room.compose(ready -> sendPaced(messages));
      }
      send(Frames.event(messages.next()));
    }
    return Future.succeededFuture();
  }

  /**
   * Extension: a page of the conversation's transcript, the messages after {@code after} (default 0), at most
   * {@code limit} of them and {@link #MAX_TRANSCRIPT_PAGE_BYTES} of their JSON, with {@code more} when others follow.
   */
  private void transcript(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    long after = Frames.optionalSeq(frame, "after");
    int limit = Frames.optionalCount(frame, "limit", MAX_TRANSCRIPT_PAGE);
    int maxBytes = Math.min(MAX_TRANSCRIPT_PAGE_BYTES, gateway.options.maxOutboundBytes() / 4);
    busy(gateway.messages.transcript(conversation, user, after, limit))
        .onSuccess(page -> {
          JsonArray messages = new JsonArray();
          long bytes = 0;
          boolean more = page.more();
          for (TranscriptEntry entry : page.entries()) {
            JsonObject json = entry.toJson();
            bytes += json.toBuffer().length();
            if (bytes > maxBytes && !messages.isEmpty()) {
              more = true;
              break;
            }
            messages.add(json);
          }
          send(Frames.reply("transcript", requestId).put("conversation", conversation).put("messages", messages)
              .put("more", more));
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  // --- handling rules

  private void getRules(String requestId) {
    busy(gateway.rulesStore.rules(user))
        .onSuccess(document -> send(Frames.reply("rules", requestId)
            .put("document", document != null ? document : RulesDocument.EMPTY.toJson())))
        .onFailure(failure -> fail(requestId, failure));
  }

  private void setRules(String requestId, JsonObject frame) {
    JsonObject document = Frames.optionalObject(frame, "document");
    if (!frame.containsKey("document")) {
      throw Frames.badFrame("set-rules needs a document");
    }
    JsonObject normal;
    try {
      normal = RulesDocument.fromJson(document).toJson();
    } catch (InvalidRulesException e) {
      throw Frames.badFrame(e.getMessage());
    }
    busy(gateway.rulesStore.putRules(user, normal))
        .onSuccess(stored -> {
          gateway.vertx.eventBus().publish(Addresses.RULES_CHANGED, new JsonObject().put("user", user));
          ok(requestId);
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  /** Feedback on a message received; suggestions it makes appear are pushed after the ok (PROTOCOL.md). */
  private void feedback(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    long seq = Frames.optionalSeq(frame, "seq");
    if (seq < 1) {
      throw Frames.badFrame("feedback needs the seq of a message");
    }
    String wanted = Frames.requiredString(frame, "wanted");
    busy(gateway.adaptive.feedback(user, conversation, seq, wanted))
        .onSuccess(appeared -> {
          ok(requestId);
          if (!appeared.isEmpty()) {
            send(Frames.suggestions(null, appeared));
          }
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  private void closeConversation(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    Conversation known = gateway.deliveries.known(conversation);
    CloseRequest close = known == null ? new CloseRequest(conversation, user, null, null)
        : new CloseRequest(conversation, user, known.source(), known.agent());
    busy(gateway.roles.idempotent(Addresses.ROUTER_CLOSE, close))
        .onSuccess(reply -> ok(requestId))
        .onFailure(failure -> fail(requestId, failure));
  }

  /**
   * Counts a request as waiting for the store or the cluster until it is answered; past {@link #MAX_BUSY}, the
   * connection is not read until half of them are. A session going away closes once the last one is answered.
   */
  private <T> Future<T> busy(Future<T> work) {
    if (++busy >= MAX_BUSY && !readingPaused) {
      readingPaused = true;
      connection.pauseReading();
    }
    return work.onComplete(done -> {
      if (--busy <= MAX_BUSY / 2 && readingPaused) {
        readingPaused = false;
        connection.resumeReading();
      }
      if (goingAway) {
        // after the handlers the caller adds, which send the answer
        gateway.vertx.runOnContext(answered -> leaveWhenAnswered());
      }
    });
  }

  private Future<Message<Object>> request(String address, Object body, DeliveryOptions options) {
    return gateway.vertx.eventBus().request(address, body, options);
  }
}
