package io.switchboard.node;

import io.switchboard.auth.TokenPolicy;
import io.switchboard.store.DirectoryStore;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.function.Function;

/**
 * {@code GET /demo/token?user=abc}: a client token for any user of the directory, so that the pages can be tried
 * without handling tokens. Mounted only in demo mode (the embedded default without {@code --jwt-secret}): a node
 * with a secret of its own never hands tokens out.
 */
final class DemoTokens {

  /** How long a demo token lasts (less when the node's maximum is shorter). */
  static final Duration LIFETIME = Duration.ofHours(1);

  private DemoTokens() {
  }

  static Duration lifetime(TokenPolicy tokens) {
    return LIFETIME.compareTo(tokens.maxLifetime()) < 0 ? LIFETIME : tokens.maxLifetime();
  }

  /** @param sign a token for the user given */
  static void mount(Router router, DirectoryStore directory, Function<String, String> sign) {
    router.get("/demo/token").handler(ctx -> {
      String user = ctx.queryParams().get("user");
      if (user == null || user.isBlank()) {
        answer(ctx, 400, error("bad_request", "query parameter user is required, e.g. /demo/token?user=abc"));
        return;
      }
      directory.user(user)
          .onSuccess(found -> {
            if (found == null) {
              answer(ctx, 404, error("not_found", "no user " + user + " in the directory (virtual users cannot log in)"));
            } else {
              answer(ctx, 200, new JsonObject().put("user", user).put("token", sign.apply(user)));
            }
          })
          .onFailure(ctx::fail);
    });
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
  }
}
