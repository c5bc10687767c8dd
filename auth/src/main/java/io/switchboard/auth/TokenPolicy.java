package io.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Which tokens a node accepts, from clients (the gateway) or operators (the admin API): JWTs signed with the
 * {@link TokenKeys} given — HS256 with a secret, RS256 or ES256 with a public key (PEM, or from a JWKS URL) — with
 * a numeric {@code exp} that has not passed and lies at most the maximum lifetime
 * ahead (of now, and of {@code iat} when given), numeric {@code nbf} and {@code iat} when given, and no
 * {@code crit} header (this node understands no JWT extension). Anything else fails with
 * {@link InvalidTokenException}, never with another exception.
 */
public final class TokenPolicy {

  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
  /** How far the issuer's clock may run ahead of this node's when the lifetime is checked against now. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final List<String> NUMERIC_DATES = List.of("exp", "nbf", "iat");

  /** How often the keys of a JWKS URL are fetched again (key rotation). */
  public static final Duration JWKS_REFRESH = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(TokenPolicy.class);

  private final TokenKeys keys;
  /** Replaced whole when a JWKS URL gives new keys. */
  private volatile JWTAuth jwt;
  private final Duration maxLifetime;
  private final Clock clock;

  private TokenPolicy(Vertx vertx, TokenKeys keys, List<JsonObject> jwks, Duration maxLifetime, Clock clock) {
    this.keys = keys;
    this.jwt = JWTAuth.create(vertx, authOptions(keys, jwks));
    this.maxLifetime = maxLifetime;
    this.clock = clock;
  }

  /** The policy for tokens signed with {@code secret} (HS256) that last at most {@code maxLifetime}. */
  public static TokenPolicy hs256(Vertx vertx, String secret, Duration maxLifetime, Clock clock) {
    return new TokenPolicy(vertx, TokenKeys.secret(secret), List.of(), maxLifetime, clock);
  }

  /**
   * The policy for tokens verified with {@code keys}, lasting at most {@code maxLifetime}. With a JWKS URL, completes
   * once its keys are fetched (failing, with the URL named, when they cannot be) and fetches them again every
   * {@link #JWKS_REFRESH}, keeping the keys it has when a refresh fails.
   */
  public static Future<TokenPolicy> create(Vertx vertx, TokenKeys keys, Duration maxLifetime, Clock clock) {
    return create(vertx, keys, maxLifetime, clock, JWKS_REFRESH);
  }

  /** As {@link #create(Vertx, TokenKeys, Duration, Clock)}, fetching the JWKS again every {@code refresh}. */
  static Future<TokenPolicy> create(Vertx vertx, TokenKeys keys, Duration maxLifetime, Clock clock, Duration refresh) {
    try {
      if (keys.jwksUrl() == null) {
        return Future.succeededFuture(new TokenPolicy(vertx, keys, List.of(), maxLifetime, clock));
      }
      HttpClient http = vertx.createHttpClient();
      return Jwks.fetch(http, keys.jwksUrl()).map(jwks -> {
        TokenPolicy policy = new TokenPolicy(vertx, keys, jwks, maxLifetime, clock);
        vertx.setPeriodic(refresh.toMillis(), timer -> Jwks.fetch(http, keys.jwksUrl())
            .onSuccess(fresh -> policy.jwt = JWTAuth.create(vertx, authOptions(keys, fresh)))
            .onFailure(failure -> LOG.warn("keeping the keys of {}: {}", keys.jwksUrl(), failure.getMessage())));
        return policy;
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static JWTAuthOptions authOptions(TokenKeys keys, List<JsonObject> jwks) {
    JWTAuthOptions options = new JWTAuthOptions();
    if (keys.secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(keys.secret()));
    }
    keys.publicKeysPem().forEach(pem -> options.addPubSecKey(
        new PubSecKeyOptions().setAlgorithm(PublicKeys.algorithm(pem)).setBuffer(pem)));
    jwks.forEach(options::addJwk);
    return options;
  }

  /** Whether this policy can sign tokens (it has a secret); public keys only verify. */
  public boolean signs() {
    return keys.secret() != null;
  }

  public Duration maxLifetime() {
    return maxLifetime;
  }

  /** The claims of an accepted token, or a failure with {@link InvalidTokenException} saying why it is refused. */
  public Future<JsonObject> verify(String token) {
    try {
      checkShape(token);
      // JWTAuth checks the signature, the algorithm, exp and nbf; some malformed tokens make it throw.
      return jwt.authenticate(new TokenCredentials(token))
          .map(User::principal)
          .recover(refused -> Future.failedFuture(new InvalidTokenException("the token is invalid or expired")));
    } catch (InvalidTokenException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(new InvalidTokenException("the token is invalid or expired"));
    }
  }

  /** A token with {@code claims} that expires after {@code lifetime}, which must not exceed the maximum lifetime. */
  public String sign(JsonObject claims, Duration lifetime) {
    if (!signs()) {
      throw new IllegalStateException("tokens verified by public keys are signed by their issuer, not here");
    }
    if (lifetime.compareTo(maxLifetime) > 0 || lifetime.toSeconds() < 1) {
      throw new IllegalArgumentException("a token lasts 1 s to " + maxLifetime + ", not " + lifetime);
    }
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) lifetime.toSeconds()));
  }

  /** Refuses what JWTAuth would accept or fail on with an exception: crit headers, missing or odd time claims. */
  private void checkShape(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("the token is not a JWT");
    }
    JsonObject header;
    JsonObject claims;
    try {
      header = new JsonObject(Buffer.buffer(BASE64URL.decode(parts[0])));
      claims = new JsonObject(Buffer.buffer(BASE64URL.decode(parts[1])));
    } catch (RuntimeException e) {
      throw new InvalidTokenException("the token is not a JWT");
    }
    if (header.containsKey("crit")) {
      throw new InvalidTokenException("the token's crit header names extensions this node does not support");
    }
    for (String claim : NUMERIC_DATES) {
      Object value = claims.getValue(claim);
      if (value != null && !(value instanceof Number)) {
        throw new InvalidTokenException("the token's " + claim + " claim must be a number (seconds since 1970)");
      }
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw new InvalidTokenException("the token has no exp claim: tokens must expire");
    }
    double now = clock.millis() / 1000.0;
    double longest = maxLifetime.toSeconds();
    if (exp.doubleValue() - now > longest + CLOCK_SKEW.toSeconds()
        || claims.getValue("iat") instanceof Number iat && exp.doubleValue() - iat.doubleValue() > longest) {
      throw new InvalidTokenException("the token lasts longer than this node accepts (" + maxLifetime + ")");
    }
  }
}
