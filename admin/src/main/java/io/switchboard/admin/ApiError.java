package io.switchboard.admin;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.rules.InvalidRulesException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
  /**
   * A refused request's body up to this size is read and dropped, so that the connection stays usable and the
   * client reads its answer (closing with unread bytes would reset the connection under it). A larger body of a
   * request without a valid token is not read at all.
   */
  private static final long DRAINED_REFUSED_BODY_BYTES = 64 * 1024;

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

  static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message);
  }

  static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, "unsupported_media_type", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  /** The failure handler of every {@code /api/v1} route: answers with the error the failure stands for. */
  static void handle(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException) {
      // The client left (or was cut off) before its request arrived whole: nobody to answer.
      return;
    }
    ApiError error = of(ctx);
    if (error.status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    JsonObject body = new JsonObject().put("error", new JsonObject().put("code", error.code).put("message", error.getMessage()));
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    long announced = announcedBodyBytes(request);
    boolean leftUnread = !request.isEnded() && (error.status == 401 || error.status == 403)
        && (announced < 0 || announced > DRAINED_REFUSED_BODY_BYTES);
    if (leftUnread) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    } else if (!request.isEnded()) {
      // Read and dropped, never kept; the request timeout bounds how long that may take.
      request.handler(dropped -> { }).resume();
    }
    response.setStatusCode(error.status).putHeader(HttpHeaders.CONTENT_TYPE, AdminApi.JSON)
        .end(body.encode())
        .onComplete(sent -> {
          if (leftUnread) {
            request.connection().close();
          }
        });
  }

  /** The body's announced length: 0 for none, -1 when unknown (chunked). */
  private static long announcedBodyBytes(HttpServerRequest request) {
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return -1;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
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
