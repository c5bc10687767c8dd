package io.switchboard.admin;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.rules.InvalidRulesException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An admin API failure as the client sees it: an HTTP status and {@code {"error":{"code","message"}}}
 * (ADMIN-API.md). {@link #handle} is the one place where failures become HTTP errors.
 */
final class ApiError extends RuntimeException {

  private static final Logger LOG = LoggerFactory.getLogger(ApiError.class);

  private final int status;
  private final String code;

  private ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  /** The failure handler of every {@code /api/v1} route: answers with the error the failure stands for. */
  static void handle(RoutingContext ctx) {
    ApiError error = of(ctx);
    if (error.status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    JsonObject body = new JsonObject().put("error", new JsonObject().put("code", error.code).put("message", error.getMessage()));
    ctx.response().setStatusCode(error.status).putHeader(HttpHeaders.CONTENT_TYPE, AdminApi.JSON).end(body.encode());
  }

  private static ApiError of(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError error) {
      return error;
    }
    if (failure instanceof InvalidDefinitionException || failure instanceof InvalidRulesException) {
      return badRequest(failure.getMessage());
    }
    if (failure instanceof SwitchboardException known && known.code() == ErrorCode.STORE_UNAVAILABLE) {
      return new ApiError(503, "store_unavailable", known.getMessage());
    }
    if (failure instanceof SwitchboardException known && known.code() == ErrorCode.NOT_FOUND) {
      return notFound(known.getMessage());
    }
    // The body handler fails by status alone: 413 for a body over the limit, 400 for one it cannot read.
    if (failure == null && ctx.statusCode() == 413) {
      return new ApiError(413, "too_large", "the body is larger than " + AdminApi.BODY_LIMIT + " bytes");
    }
    if (failure == null && ctx.statusCode() == 400) {
      return badRequest("the body could not be read");
    }
    LOG.error("admin API {} {} failed with status {}", ctx.request().method(), ctx.request().path(), ctx.statusCode(), failure);
    return new ApiError(500, "internal", "internal error; the node's log has the details");
  }
}
