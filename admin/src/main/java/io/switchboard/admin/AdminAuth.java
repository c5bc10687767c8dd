package io.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a request through only with {@code Authorization: Bearer <JWT>} that the node's {@link JWTAuth} accepts
 * (signature and expiry) and whose {@code roles} claim is an array holding {@value AdminApi#ADMIN_ROLE}: a
 * missing, malformed, forged or expired token fails with 401, a valid token without the role with 403.
 */
final class AdminAuth implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";

  private final JWTAuth auth;

  AdminAuth(JWTAuth auth) {
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(ApiError.unauthorized("an Authorization: Bearer <token> header is required"));
      return;
    }
    auth.authenticate(new TokenCredentials(header.substring(BEARER.length()).trim()))
        .recover(invalid -> Future.failedFuture(ApiError.unauthorized("the token is invalid or expired")))
        .map(user -> {
          if (!isAdmin(user)) {
            throw ApiError.forbidden("the token's roles do not include " + AdminApi.ADMIN_ROLE);
          }
          return user;
        })
        .onSuccess(admin -> ctx.next())
        .onFailure(ctx::fail);
  }

  private static boolean isAdmin(User user) {
    return user.principal().getValue("roles") instanceof JsonArray roles && roles.contains(AdminApi.ADMIN_ROLE);
  }
}
