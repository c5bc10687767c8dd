package io.switchboard.node;

import io.switchboard.auth.TokenKeys;
import io.switchboard.auth.TokenPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * The tokens a node accepts: the clients' and the admins' policies — one and the same unless admin tokens have keys
 * of their own, so that whoever mints client tokens cannot mint admin ones — and whether the node made its secret up
 * (no key given: a demo node, which logs tokens).
 */
record NodeTokens(TokenPolicy clients, TokenPolicy admins, boolean generatedSecret) {

  static Future<NodeTokens> create(Vertx vertx, NodeOptions options, Clock clock) {
    TokenKeys given = options.security().clientKeys(options.jwtSecret());
    TokenKeys clientKeys = given != null ? given : TokenKeys.secret(randomSecret());
    TokenKeys adminKeys = options.security().adminKeys();
    return TokenPolicy.create(vertx, clientKeys, options.maxTokenLifetime(), clock)
        .recover(failure -> Future.failedFuture(new NodeOptions.InvalidOptionException("--jwks-url: " + failure.getMessage())))
        .compose(clients -> (adminKeys == null ? Future.succeededFuture(clients)
            : TokenPolicy.create(vertx, adminKeys, options.maxTokenLifetime(), clock))
            .map(admins -> new NodeTokens(clients, admins, given == null)));
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
