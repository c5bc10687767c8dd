package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.AnswerRequest;
import io.switchboard.contract.CloseRequest;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.OpenRequest;
import io.switchboard.contract.OpenResult;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.UserEvent;
import io.switchboard.directory.Geo;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.rules.InvalidRulesException;
import io.switchboard.rules.RulesDocument;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;

/**
 * One client connection speaking the protocol (PROTOCOL.md): authentication, then requests turned into store
 * operations and event-bus requests, and events of its user turned into frames.
 */
final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  /** Frames a client may send after {@code auth} before {@code ready}; they are handled once ready. */
  private static final int MAX_EARLY_FRAMES = 64;
  private static final int MAX_WATCH = 1000;
  private static final int MAX_ACTIVITY_CHARS = 256;

  private enum State { NEW, AUTHENTICATING, READY, CLOSED }

  private final Gateway gateway;
  private final Connection connection;
  private final String id;
  private final Set<String> watching = new HashSet<>();
  private final Queue<String> earlyFrames = new ArrayDeque<>();
  private final List<UserEvent> earlyEvents = new ArrayList<>();
  private final RateLimiter rateLimiter;
  private State state = State.NEW;
  private String user;
  /** The user's directory entry as of authentication: its position and attributes feed routing. */
  private User profile;
  private long lastHeard;
  private boolean nudged;

  Session(Gateway gateway, Connection connection, String id) {
    this.gateway = gateway;
    this.connection = connection;
    this.id = id;
    this.lastHeard = gateway.clock.millis();
    this.rateLimiter = new RateLimiter(gateway.options.framesPerSecond(), lastHeard);
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

  void onText(String text) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.AUTHENTICATING) {
      if (earlyFrames.size() < MAX_EARLY_FRAMES) {
        earlyFrames.add(text);
      } else {
        refuse(ErrorCode.RATE_LIMITED, "wait for ready before sending more frames");
      }
      return;
    }
    JsonObject frame;
    try {
      frame = Frames.parse(text);
    } catch (SwitchboardException e) {
      fail(null, e);
      return;
    }
    String requestId = frame.getString("id");
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
      case "accept" -> answer(requestId, frame, true);
      case "decline" -> answer(requestId, frame, false);
      case "send" -> sendMessage(requestId, frame);
      case "close" -> closeConversation(requestId, frame);
      case "resume" -> resume(requestId, frame);
      case "transcript" -> transcript(requestId, frame);
      case "get-rules" -> getRules(requestId);
      case "set-rules" -> setRules(requestId, frame);
      default -> throw new SwitchboardException(ErrorCode.UNKNOWN_TYPE, "unknown frame type " + type);
    }
  }

  private void fail(String requestId, Throwable failure) {
    SwitchboardException error = SwitchboardException.of(failure);
    if (error.code() == ErrorCode.INTERNAL) {
      LOG.error("internal error on session {} request {}", id, requestId, failure);
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
    gateway.forget(this);
    if (was == State.READY) {
      gateway.detach(this);
    }
  }

  // --- connecting

  private void authenticate(String requestId, JsonObject frame) {
    Object token = frame.getValue("token");
    if (!(token instanceof String jwt) || jwt.isEmpty()) {
      throw new SwitchboardException(ErrorCode.UNAUTHENTICATED, "auth needs a token");
    }
    state = State.AUTHENTICATING;
    gateway.auth.authenticate(new TokenCredentials(jwt))
        .recover(invalid -> Future.failedFuture(
            new SwitchboardException(ErrorCode.UNAUTHENTICATED, "invalid or expired token")))
        .compose(principal -> {
          String subject = principal.principal().getString("sub");
          if (subject == null) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.UNAUTHENTICATED, "the token has no sub claim"));
          }
          return gateway.store.user(subject).compose(known -> known == null
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
          send(Frames.reply("ready", requestId).put("user", user).put("session", id));
          earlyEvents.forEach(this::deliver);
          earlyEvents.clear();
          deliverMailbox();
          while (!earlyFrames.isEmpty() && state == State.READY) {
            onText(earlyFrames.poll());
          }
        })
        .onFailure(failure -> {
          if (state == State.CLOSED) {
            return;
          }
          state = State.NEW;
          user = null;
          profile = null;
          earlyFrames.clear();
          earlyEvents.clear();
          fail(requestId, failure);
        });
  }

  private void deliverMailbox() {
    gateway.store.drainMailbox(user)
        .onSuccess(messages -> messages.forEach(this::deliver))
        .onFailure(failure -> LOG.warn("could not deliver the mailbox of {}", user, failure));
  }

  /** An event for this session's user: a frame now, or after {@code ready} while authentication finishes. */
  void deliver(UserEvent event) {
    if (state == State.READY) {
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
    request(Addresses.PRESENCE_SET, new StatusRequest(user, status, activity).toJson(), new DeliveryOptions())
        .onSuccess(reply -> ok(requestId))
        .onFailure(failure -> fail(requestId, failure));
  }

  private void watch(String requestId, JsonObject frame) {
    List<String> users = Frames.userList(frame, "users", MAX_WATCH);
    List<String> added = users.stream().filter(watched -> !watching.contains(watched)).distinct().toList();
    // Watch before asking, so that no change between the answer and the watch is missed.
    added.forEach(watched -> gateway.watch(this, watched));
    request(Addresses.PRESENCE_QUERY, new JsonObject().put("users", new JsonArray(users)), new DeliveryOptions())
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
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(gateway.options.openTimeout().toMillis());
    request(Addresses.ROUTER_OPEN, new OpenRequest(user, to, context).toJson(), options)
        .onSuccess(reply -> {
          OpenResult opened = OpenResult.fromJson((JsonObject) reply.body());
          send(Frames.reply("opened", requestId).put("conversation", opened.conversation()).put("to", opened.to())
              .put("agent", opened.agent()));
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  private void answer(String requestId, JsonObject frame, boolean accept) {
    String conversation = Frames.requiredString(frame, "conversation");
    String answerAddress = gateway.takeOffer(user, conversation);
    if (answerAddress == null) {
      throw new SwitchboardException(ErrorCode.GONE, "no offer of " + conversation + " is waiting for you");
    }
    request(answerAddress, new AnswerRequest(conversation, user, accept).toJson(), new DeliveryOptions())
        .onSuccess(reply -> ok(requestId))
        .onFailure(failure -> fail(requestId, failure));
  }

  private void sendMessage(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    if (!(frame.getValue("body") instanceof String body)) {
      throw Frames.badFrame("body must be a string");
    }
    gateway.deliveries.send(user, conversation, body, false)
        .onSuccess(delivery -> send(Frames.reply("ack", requestId).put("conversation", conversation)
            .put("seq", delivery.event().seq())))
        .onFailure(failure -> fail(requestId, failure));
  }

  /**
   * Extension: re-sends the messages this user received in a conversation after {@code after}, then {@code ok};
   * a client that lost its connection (or its node) resumes from the last {@code seq} it saw.
   */
  private void resume(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    if (!(frame.getValue("after") instanceof Number after) || after.longValue() < 0) {
      throw Frames.badFrame("after must be the last seq received (0 for everything)");
    }
    gateway.store.messagesAfter(conversation, user, after.longValue())
        .onSuccess(messages -> {
          messages.forEach(message -> send(Frames.event(message)));
          ok(requestId);
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  private void transcript(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    gateway.store.transcript(conversation, user)
        .onSuccess(entries -> {
          JsonArray messages = new JsonArray();
          entries.forEach(entry -> messages.add(entry.toJson()));
          send(Frames.reply("transcript", requestId).put("conversation", conversation).put("messages", messages));
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  // --- handling rules

  private void getRules(String requestId) {
    gateway.store.rules(user)
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
    gateway.store.putRules(user, normal)
        .onSuccess(stored -> {
          gateway.vertx.eventBus().publish(Addresses.RULES_CHANGED, new JsonObject().put("user", user));
          ok(requestId);
        })
        .onFailure(failure -> fail(requestId, failure));
  }

  private void closeConversation(String requestId, JsonObject frame) {
    String conversation = Frames.requiredString(frame, "conversation");
    request(Addresses.ROUTER_CLOSE, new CloseRequest(conversation, user).toJson(), new DeliveryOptions())
        .onSuccess(reply -> ok(requestId))
        .onFailure(failure -> fail(requestId, failure));
  }

  private Future<Message<Object>> request(String address, JsonObject body, DeliveryOptions options) {
    return gateway.vertx.eventBus().request(address, body, options);
  }
}
