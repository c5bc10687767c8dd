package io.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens as clients and operators may send them, made byte by byte, against the policy on a real JWTAuth. */
class TokenPolicyTest {

  private static final String SECRET = "token-policy-test-secret-0123456789";
  private static final JsonObject HS256 = new JsonObject().put("alg", "HS256").put("typ", "JWT");

  private Vertx vertx;
  private TokenPolicy policy;
  private long now;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    policy = TokenPolicy.hs256(vertx, SECRET, Duration.ofHours(1), Clock.systemUTC());
    now = System.currentTimeMillis() / 1000;
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void aSignedTokenWithinTheLifetimeIsAccepted() {
    assertEquals("abc", accepted(policy.sign(new JsonObject().put("sub", "abc"), Duration.ofHours(1))).getString("sub"));
    assertEquals("abc", accepted(token(HS256, claims().put("iat", now).put("exp", now + 3600))).getString("sub"));
  }

  @Test
  void aTokenWithoutExpIsRefused() {
    assertTrue(refused(token(HS256, new JsonObject().put("sub", "abc"))).contains("no exp"));
  }

  @Test
  void timeClaimsThatAreNotNumbersAreRefusedNotThrown() {
    assertTrue(refused(token(HS256, new JsonObject().put("sub", "abc").put("exp", "tomorrow"))).contains("exp"));
    assertTrue(refused(token(HS256, claims().put("nbf", "now"))).contains("nbf"));
    assertTrue(refused(token(HS256, claims().put("iat", new JsonObject()))).contains("iat"));
  }

  @Test
  void aTokenThatLastsLongerThanTheMaximumIsRefused() {
    assertTrue(refused(token(HS256, claims().put("exp", now + 7200))).contains("PT1H"), "from now");
    assertTrue(refused(token(HS256, claims().put("iat", now - 3600).put("exp", now + 60))).contains("PT1H"), "from iat");
    assertThrows(IllegalArgumentException.class, () -> policy.sign(claims(), Duration.ofHours(2)));
  }

  @Test
  void anExpiredForgedOrMalformedTokenIsRefused() {
    assertEquals("the token is invalid or expired", refused(token(HS256, claims().put("exp", now - 10))));
    String forged = token(HS256, claims(), "another-secret-0123456789abcdefgh");
    assertEquals("the token is invalid or expired", refused(forged));
    String unsigned = token(new JsonObject().put("alg", "none"), claims()).replaceAll("[^.]+$", "");
    assertEquals("the token is invalid or expired", refused(unsigned));
    assertEquals("the token is not a JWT", refused("not-a-token"));
    assertEquals("the token is not a JWT", refused("e30.%%%.xyz"));
  }

  @Test
  void aCritHeaderIsRefused() {
    JsonObject header = HS256.copy().put("crit", new JsonArray().add("exp-ext")).put("exp-ext", 1);
    assertTrue(refused(token(header, claims())).contains("crit"));
  }

  private JsonObject claims() {
    return new JsonObject().put("sub", "abc").put("exp", now + 600);
  }

  private JsonObject accepted(String token) {
    Future<JsonObject> verified = complete(policy.verify(token));
    assertTrue(verified.succeeded(), () -> "refused: " + verified.cause());
    return verified.result();
  }

  private String refused(String token) {
    Future<JsonObject> verified = complete(policy.verify(token));
    assertTrue(verified.failed(), () -> "accepted " + token);
    return assertInstanceOf(InvalidTokenException.class, verified.cause()).getMessage();
  }

  private static <T> Future<T> complete(Future<T> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception settledEitherWay) {
      // the future's outcome is read below
    }
    assertTrue(future.isComplete(), "the policy answered within 10 s");
    return future;
  }

  private static String token(JsonObject header, JsonObject claims) {
    return token(header, claims, SECRET);
  }

  /** A JWT with exactly this header and these claims, signed HS256 with {@code secret}. */
  private static String token(JsonObject header, JsonObject claims, String secret) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String signed = base64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + base64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signed + "." + base64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
