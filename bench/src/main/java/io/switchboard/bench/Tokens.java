package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Client tokens the node accepts: HS256 JWTs with a {@code sub} claim, signed with the node's secret. */
final class Tokens {

  private final JWTAuth auth;
  private final int minutes;
  private final Map<String, String> issued = new ConcurrentHashMap<>();

  /** Tokens valid for {@code validity} (rounded up to a minute), enough for the whole run. */
  Tokens(Vertx vertx, String secret, Duration validity) {
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.minutes = (int) Math.max(1, validity.toMinutes() + 1);
  }

  String token(String user) {
    return issued.computeIfAbsent(user, sub ->
        auth.generateToken(new JsonObject().put("sub", sub), new JWTOptions().setExpiresInMinutes(minutes)));
  }
}
