package io.switchboard.admin;

import io.switchboard.auth.TokenPolicy;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.directory.OverflowChains;
import io.switchboard.directory.QueuePolicy;
import io.switchboard.directory.VirtualUser;
import io.switchboard.contract.Addresses;
import io.switchboard.contract.LogIds;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.Suggestions;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.QueueEntry;
import io.switchboard.store.QueueStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The admin HTTP API (docs/ADMIN-API.md): the directory, history and routing decisions under {@value #PREFIX},
 * for tokens with the {@value #ADMIN_ROLE} role. Every handler works through the store's futures and never blocks.
 */
public final class AdminApi {

  public static final String PREFIX = "/api/v1";
  /** The role a token's {@code roles} claim must hold. */
  public static final String ADMIN_ROLE = "admin";
  /** Largest request body accepted, in bytes; a larger one gets 413. */
  public static final long BODY_LIMIT = 1 << 20;
  /** Most waiting opens {@code /virtual-users/{id}/queue} lists. */
  public static final int QUEUE_SHOWN = 100;
  /** Decisions returned when {@code limit} is not given (fewer when the node keeps fewer). */
  public static final int DEFAULT_DECISIONS = 20;

  static final String JSON = "application/json";
  /** Where {@link AdminAuth} leaves the {@code sub} of an accepted admin token in the routing context. */
  static final String ADMIN_SUB = "switchboard.admin";
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final DirectoryStore directory;
  private final ConversationStore conversations;
  private final RulesStore rules;
  private final QueueStore queues;
  private final int decisionsKept;
  private final Clock clock;

  private AdminApi(DirectoryStore directory, ConversationStore conversations, RulesStore rules, QueueStore queues,
                   int decisionsKept, Clock clock) {
    this.clock = clock;
    this.directory = directory;
    this.conversations = conversations;
    this.rules = rules;
    this.queues = queues;
    this.decisionsKept = decisionsKept;
  }

  /**
   * Mounts every admin route on {@code router}: tokens are verified with {@code tokens}, requests checked against
   * {@code contract}, {@code decisionsKept} (the store's decisions kept per virtual user) bounds
   * {@code /decisions?limit=}, {@code liveViews} (one per node) bounds the live views, and {@code clock} is the node's
   * (suggestions read it to tell an unanswered message).
   */
  public static void mount(Router router, DirectoryStore directory, ConversationStore conversations, RulesStore rules,
                           QueueStore queues, TokenPolicy tokens, int decisionsKept, AdminContract contract,
                           LiveViews liveViews, Clock clock) {
    AdminApi api = new AdminApi(directory, conversations, rules, queues, decisionsKept, clock);
    router.get(PREFIX + "/openapi.json").handler(contract::serve);
    // Authentication comes first: no body is read for a request without a valid admin token. (Vert.x Web wants
    // a body handler ahead of the other handlers of its route, so the two get a route each.)
    router.route(PREFIX + "/*").handler(new AdminAuth(tokens)).failureHandler(ApiError::handle);
    router.route(PREFIX + "/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.route(PREFIX + "/*").handler(contract::validate);
    router.put(PREFIX + "/users/:id").handler(endpoint(api::putUser));
    router.get(PREFIX + "/users/:id").handler(endpoint(api::getUser));
    router.put(PREFIX + "/users/:id/rules").handler(endpoint(api::putRules));
    router.get(PREFIX + "/users/:id/rules").handler(endpoint(api::getRules));
    router.get(PREFIX + "/users/:id/suggestions").handler(endpoint(api::suggestions));
    router.put(PREFIX + "/rules/defaults").handler(endpoint(api::putDefaultRules));
    router.get(PREFIX + "/rules/defaults").handler(endpoint(api::getDefaultRules));
    router.get(PREFIX + "/virtual-users").handler(endpoint(api::virtualUsers));
    router.get(PREFIX + "/nodes").handler(endpoint(ctx -> NodeCensus.take(ctx.vertx())));
    router.put(PREFIX + "/virtual-users/:id").handler(endpoint(api::putVirtualUser));
    router.get(PREFIX + "/virtual-users/:id").handler(endpoint(api::getVirtualUser));
    router.get(PREFIX + "/virtual-users/:id/status").handler(endpoint(api::virtualUserStatus));
    router.get(PREFIX + "/virtual-users/:id/live").handler(ctx -> LiveStream.serve(ctx, liveViews));
    router.get(PREFIX + "/virtual-users/:id/queue").handler(endpoint(api::queue));
    router.post(PREFIX + "/history").handler(endpoint(api::importHistory));
    router.get(PREFIX + "/history").handler(endpoint(api::history));
    router.get(PREFIX + "/decisions").handler(endpoint(api::decisions));
    router.route(PREFIX + "/*").handler(ctx ->
        ctx.fail(ApiError.notFound("no endpoint " + ctx.request().method() + " " + ctx.request().path())));
  }

  /**
   * Runs an endpoint and answers 200 with the JSON it produces, or 204 when it produces none. A change (any method
   * but GET) is logged with who made it: the admin token's {@code sub}.
   */
  private static Handler<RoutingContext> endpoint(Function<RoutingContext, Future<JsonObject>> endpoint) {
    return ctx -> endpoint.apply(ctx)
        .onSuccess(json -> {
          if (ctx.request().method() != HttpMethod.GET) {
            String admin = ctx.get(ADMIN_SUB);
            LogIds.log(() -> LOG.info("admin change {} {} by {}", ctx.request().method(), ctx.request().path(), admin),
                LogIds.ADMIN, admin, LogIds.USER, ctx.pathParam("id"));
          }
          if (json == null) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(json.encode());
          }
        })
        .onFailure(ctx::fail);
  }

  // --- directory

  private Future<JsonObject> putUser(RoutingContext ctx) {
    User user = User.fromJson(bodyWithPathId(ctx));
    return directory.putUser(user).map(stored -> {
      ctx.vertx().eventBus().publish(Addresses.DIRECTORY_CHANGED, new JsonObject().put("user", user.toJson()));
      return user.toJson();
    });
  }

  private Future<JsonObject> getUser(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return directory.user(id).map(user -> found(user, "user " + id).toJson());
  }

  // --- handling rules (docs/RULES.md)

  /** Replaces a user's rules; every node applies them from the next message on. */
  private Future<JsonObject> putRules(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject document = RulesDocument.fromJson(jsonBody(ctx)).toJson();
    return rules.putRules(id, document).map(stored -> {
      ctx.vertx().eventBus().publish(Addresses.RULES_CHANGED, new JsonObject().put("user", id));
      return document;
    });
  }

  private Future<JsonObject> getRules(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return directory.user(id).compose(user -> {
      found(user, "user " + id);
      return rules.rules(id).map(document -> document != null ? document : RulesDocument.EMPTY.toJson());
    });
  }

  /** The adaptive manager's suggestions for a user, as the user gets them (docs/RULES.md § "Suggestions"). */
  private Future<JsonObject> suggestions(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return directory.user(id).compose(user -> {
      found(user, "user " + id);
      return rules.rules(id).compose(document -> rules.defaultRules().compose(defaults -> rules.adaptiveState(id)
          .map(state -> new JsonObject().put("suggestions", Suggestions.toJson(Suggestions.of(id, document, defaults,
              state.feedback(), state.observations(), state.dismissed(), clock.millis()))))));
    });
  }

  /** Replaces the server's default rules, applied after each user's own; every node applies them from the next message. */
  private Future<JsonObject> putDefaultRules(RoutingContext ctx) {
    JsonObject document = RulesDocument.defaultsFromJson(jsonBody(ctx)).toDefaultsJson();
    return rules.putDefaultRules(document).map(stored -> {
      ctx.vertx().eventBus().publish(Addresses.RULES_CHANGED, new JsonObject().put("defaults", true));
      return document;
    });
  }

  private Future<JsonObject> getDefaultRules(RoutingContext ctx) {
    return rules.defaultRules().map(document -> document != null ? document : RulesDocument.SHIPPED_DEFAULTS.toDefaultsJson());
  }

  /** Replaces a virtual user; one whose overflow step would lead nowhere or round in a cycle is refused. */
  private Future<JsonObject> putVirtualUser(RoutingContext ctx) {
    VirtualUser virtualUser = VirtualUser.fromJson(bodyWithPathId(ctx));
    Future<Void> checked = virtualUser.policy().overflow() == null ? Future.succeededFuture()
        : directory.snapshot().map(snapshot -> {
          Map<String, VirtualUser> byId = new HashMap<>();
          snapshot.virtualUsers().forEach(existing -> byId.put(existing.id(), existing));
          OverflowChains.check(virtualUser, byId);
          return null;
        });
    return checked.compose(valid -> directory.putVirtualUser(virtualUser)).map(stored -> {
      ctx.vertx().eventBus().publish(Addresses.DIRECTORY_CHANGED,
          new JsonObject().put("virtualUser", virtualUser.toJson()));
      return virtualUser.toJson();
    });
  }

  /** Every virtual user with its name and members (extension: the operator dashboard lists them). */
  private Future<JsonObject> virtualUsers(RoutingContext ctx) {
    return directory.snapshot().map(snapshot -> new JsonObject().put("virtualUsers", toArray(
        snapshot.virtualUsers().stream().sorted(Comparator.comparing(VirtualUser::id)).toList(),
        virtualUser -> new JsonObject().put("id", virtualUser.id()).put("name", virtualUser.name())
            .put("members", new JsonArray(virtualUser.members())))));
  }

  private Future<JsonObject> getVirtualUser(RoutingContext ctx) {
    return existingVirtualUser(ctx.pathParam("id")).map(VirtualUser::toJson);
  }

  private Future<JsonObject> virtualUserStatus(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return directory.virtualUserStatus(id).map(status -> found(status, "virtual user " + id).toJson());
  }

  /**
   * The opens waiting in the virtual user's queue, head first (docs/POLICY.md § Queue; the operator dashboard shows
   * them).
   */
  private Future<JsonObject> queue(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int limit = boundedParam(ctx, "limit", QUEUE_SHOWN, QueuePolicy.HARD_LIMIT);
    return existingVirtualUser(id).compose(virtualUser -> queues.waiting(id, limit)).map(waiting -> {
      JsonArray entries = new JsonArray();
      for (int i = 0; i < waiting.size(); i++) {
        QueueEntry entry = waiting.get(i);
        entries.add(new JsonObject().put("position", i + 1).put("source", entry.request().source())
            .put("conversation", entry.conversation()).put("priority", entry.priority())
            .put("since", entry.enqueuedAt()).put("deadline", entry.deadline()));
      }
      return new JsonObject().put("id", id).put("waiting", entries);
    });
  }

  // --- context

  /** Imports every record or, when any is bad, none: the 400 names the first bad record by its index. */
  private Future<JsonObject> importHistory(RoutingContext ctx) {
    Object value = jsonBody(ctx).getValue("records");
    if (!(value instanceof JsonArray array)) {
      throw ApiError.badRequest("records must be an array of history records");
    }
    List<HistoryRecord> records = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw ApiError.badRequest("records[" + i + "] must be an object");
      }
      records.add(atRecord(i, () -> HistoryRecord.fromJson(json)));
    }
    List<Future<VirtualUser>> destinations = records.stream().map(HistoryRecord::destination).distinct()
        .map(directory::virtualUser).toList();
    return Future.all(destinations).compose(found -> {
      Map<String, VirtualUser> virtualUsers = destinations.stream().map(Future::result)
          .filter(Objects::nonNull)
          .collect(Collectors.toMap(VirtualUser::id, Function.identity()));
      for (int i = 0; i < records.size(); i++) {
        HistoryRecord record = records.get(i);
        atRecord(i, () -> checkAgainst(record, virtualUsers.get(record.destination())));
      }
      return conversations.addHistory(records);
    }).mapEmpty();
  }

  /** The record if its destination is a virtual user and its sub-users are members of it. */
  private static HistoryRecord checkAgainst(HistoryRecord record, VirtualUser destination) {
    if (destination == null) {
      throw new InvalidDefinitionException("destination " + record.destination() + " is not a virtual user");
    }
    for (String subUser : record.subUsers()) {
      if (!destination.members().contains(subUser)) {
        throw new InvalidDefinitionException("sub-user " + subUser + " is not a member of " + destination.id());
      }
    }
    return record;
  }

  /** Runs a check of {@code records[index]}, naming the index in the 400 it fails with. */
  private static HistoryRecord atRecord(int index, Supplier<HistoryRecord> check) {
    try {
      return check.get();
    } catch (InvalidDefinitionException e) {
      throw ApiError.badRequest("records[" + index + "]: " + e.getMessage());
    }
  }

  private Future<JsonObject> history(RoutingContext ctx) {
    String source = requiredParam(ctx, "source");
    String destination = requiredParam(ctx, "destination");
    return existingVirtualUser(destination)
        .compose(virtualUser -> conversations.history(source, destination))
        .map(records -> new JsonObject().put("records", toArray(records, HistoryRecord::toJson)));
  }

  private Future<JsonObject> decisions(RoutingContext ctx) {
    String destination = requiredParam(ctx, "destination");
    int limit = limit(ctx);
    return existingVirtualUser(destination)
        .compose(virtualUser -> conversations.decisions(destination, limit))
        .map(decisions -> new JsonObject().put("decisions", toArray(decisions, RouteDecision::toJson)));
  }

  private int limit(RoutingContext ctx) {
    return boundedParam(ctx, "limit", Math.min(DEFAULT_DECISIONS, decisionsKept), decisionsKept);
  }

  /** A whole-number query parameter from 1 to {@code max}, {@code fallback} when absent. */
  private static int boundedParam(RoutingContext ctx, String name, int fallback, int max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below like any other bad value
    }
    throw ApiError.badRequest(name + " must be a whole number from 1 to " + max + ", not " + text);
  }

  // --- reading requests

  private Future<VirtualUser> existingVirtualUser(String id) {
    return directory.virtualUser(id).map(virtualUser -> found(virtualUser, "virtual user " + id));
  }

  private static <T> T found(T entity, String what) {
    if (entity == null) {
      throw ApiError.notFound("no " + what);
    }
    return entity;
  }

  private static String requiredParam(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) {
      throw ApiError.badRequest("query parameter " + name + " is required");
    }
    return value;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    Object value;
    try {
      value = body == null || body.length() == 0 ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiError.badRequest("the body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    return object;
  }

  /** The body, whose {@code id} must be absent (the path's is used) or the path's. */
  private static JsonObject bodyWithPathId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = jsonBody(ctx);
    Object bodyId = body.getValue("id");
    if (bodyId == null) {
      return body.put("id", id);
    }
    if (!id.equals(bodyId)) {
      throw ApiError.badRequest("the body's id " + bodyId + " differs from the path's id " + id);
    }
    return body;
  }

  private static <T> JsonArray toArray(List<T> items, Function<T, JsonObject> toJson) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(toJson.apply(item)));
    return array;
  }
}
