package io.switchboard.admin;

import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.contract.Addresses;
import io.switchboard.rules.RulesDocument;
import io.switchboard.store.HistoryRecord;
import io.switchboard.store.RouteDecision;
import io.switchboard.store.SwitchboardStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
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
  /** Decisions returned when {@code limit} is not given (fewer when the node keeps fewer). */
  public static final int DEFAULT_DECISIONS = 20;

  static final String JSON = "application/json";

  private final SwitchboardStore store;
  private final int decisionsKept;

  private AdminApi(SwitchboardStore store, int decisionsKept) {
    this.store = store;
    this.decisionsKept = decisionsKept;
  }

  /**
   * Mounts every admin route on {@code router}: tokens are verified with {@code auth}, and {@code decisionsKept}
   * (the store's decisions kept per virtual user) bounds {@code /decisions?limit=}.
   */
  public static void mount(Router router, SwitchboardStore store, JWTAuth auth, int decisionsKept) {
    AdminApi api = new AdminApi(store, decisionsKept);
    router.route(PREFIX + "/*")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(new AdminAuth(auth))
        .failureHandler(ApiError::handle);
    router.put(PREFIX + "/users/:id").handler(endpoint(api::putUser));
    router.get(PREFIX + "/users/:id").handler(endpoint(api::getUser));
    router.put(PREFIX + "/users/:id/rules").handler(endpoint(api::putRules));
    router.get(PREFIX + "/users/:id/rules").handler(endpoint(api::getRules));
    router.put(PREFIX + "/virtual-users/:id").handler(endpoint(api::putVirtualUser));
    router.get(PREFIX + "/virtual-users/:id").handler(endpoint(api::getVirtualUser));
    router.get(PREFIX + "/virtual-users/:id/status").handler(endpoint(api::virtualUserStatus));
    router.post(PREFIX + "/history").handler(endpoint(api::importHistory));
    router.get(PREFIX + "/history").handler(endpoint(api::history));
    router.get(PREFIX + "/decisions").handler(endpoint(api::decisions));
    router.route(PREFIX + "/*").handler(ctx ->
        ctx.fail(ApiError.notFound("no endpoint " + ctx.request().method() + " " + ctx.request().path())));
  }

  /** Runs an endpoint and answers 200 with the JSON it produces, or 204 when it produces none. */
  private static Handler<RoutingContext> endpoint(Function<RoutingContext, Future<JsonObject>> endpoint) {
    return ctx -> endpoint.apply(ctx)
        .onSuccess(json -> {
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
    return store.putUser(user).map(stored -> user.toJson());
  }

  private Future<JsonObject> getUser(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return store.user(id).map(user -> found(user, "user " + id).toJson());
  }

  // --- handling rules (docs/RULES.md)

  /** Replaces a user's rules; every node applies them from the next message on. */
  private Future<JsonObject> putRules(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject document = RulesDocument.fromJson(jsonBody(ctx)).toJson();
    return store.putRules(id, document).map(stored -> {
      ctx.vertx().eventBus().publish(Addresses.RULES_CHANGED, new JsonObject().put("user", id));
      return document;
    });
  }

  private Future<JsonObject> getRules(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return store.user(id).compose(user -> {
      found(user, "user " + id);
      return store.rules(id).map(document -> document != null ? document : RulesDocument.EMPTY.toJson());
    });
  }

  private Future<JsonObject> putVirtualUser(RoutingContext ctx) {
    VirtualUser virtualUser = VirtualUser.fromJson(bodyWithPathId(ctx));
    return store.putVirtualUser(virtualUser).map(stored -> virtualUser.toJson());
  }

  private Future<JsonObject> getVirtualUser(RoutingContext ctx) {
    return existingVirtualUser(ctx.pathParam("id")).map(VirtualUser::toJson);
  }

  private Future<JsonObject> virtualUserStatus(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return store.virtualUserStatus(id).map(status -> found(status, "virtual user " + id).toJson());
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
        .map(store::virtualUser).toList();
    return Future.all(destinations).compose(found -> {
      Map<String, VirtualUser> virtualUsers = destinations.stream().map(Future::result)
          .filter(Objects::nonNull)
          .collect(Collectors.toMap(VirtualUser::id, Function.identity()));
      for (int i = 0; i < records.size(); i++) {
        HistoryRecord record = records.get(i);
        atRecord(i, () -> checkAgainst(record, virtualUsers.get(record.destination())));
      }
      return store.addHistory(records);
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
        .compose(virtualUser -> store.history(source, destination))
        .map(records -> new JsonObject().put("records", toArray(records, HistoryRecord::toJson)));
  }

  private Future<JsonObject> decisions(RoutingContext ctx) {
    String destination = requiredParam(ctx, "destination");
    int limit = limit(ctx);
    return existingVirtualUser(destination)
        .compose(virtualUser -> store.decisions(destination, limit))
        .map(decisions -> new JsonObject().put("decisions", toArray(decisions, RouteDecision::toJson)));
  }

  private int limit(RoutingContext ctx) {
    String text = ctx.queryParams().get("limit");
    if (text == null) {
      return Math.min(DEFAULT_DECISIONS, decisionsKept);
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= decisionsKept) {
        return limit;
      }
    } catch (NumberFormatException notANumber) {
      // answered below like any other bad limit
    }
    throw ApiError.badRequest("limit must be a whole number from 1 to " + decisionsKept + ", not " + text);
  }

  // --- reading requests

  private Future<VirtualUser> existingVirtualUser(String id) {
    return store.virtualUser(id).map(virtualUser -> found(virtualUser, "virtual user " + id));
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
