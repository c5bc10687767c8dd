package io.switchboard.admin;

import io.switchboard.auth.TokenPolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a request through only with {@code Authorization: Bearer <JWT>} that the node's {@link TokenPolicy} accepts
 * and whose {@code roles} claim is an array holding {@value AdminApi#ADMIN_ROLE}: a missing, malformed, forged,
 * expired or too long-lived token fails with 401, a valid token without the role with 403. It runs before the
 * body is read: the request is paused until the token is accepted, so an unauthenticated client cannot make the
 * node buffer a body.
 */
final class AdminAuth implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";

  private final TokenPolicy tokens;

  AdminAuth(TokenPolicy tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.request().pause();
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(ApiError.unauthorized("an Authorization: Bearer <token> header is required"));
      return;
    }
    tokens.verify(header.substring(BEARER.length()).trim())
        .recover(invalid -> Future.failedFuture(ApiError.unauthorized(invalid.getMessage())))
        .map(claims -> {
          if (!isAdmin(claims)) {
            throw ApiError.forbidden("the token's roles do not include " + AdminApi.ADMIN_ROLE);
          }
          return claims;
        })
        // the body handler that follows resumes the request
        .onSuccess(admin -> {
          ctx.put(AdminApi.ADMIN_SUB, admin.getString("sub"));
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  private static boolean isAdmin(JsonObject claims) {
    return claims.getValue("roles") instanceof JsonArray roles && roles.contains(AdminApi.ADMIN_ROLE);
  }
}
