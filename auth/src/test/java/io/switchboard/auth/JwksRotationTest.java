package io.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys from a JWKS URL served over real HTTP: an issuer rotating its key is followed at the next fetch. */
class JwksRotationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Vertx vertx;
  private HttpServer issuer;
  private final AtomicReference<JsonObject> published = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    issuer = vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
            .end(published.get().encode()))
        .listen(0, "127.0.0.1").await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void aRotatedKeyIsAcceptedAfterTheNextFetchAndTheOldOneNoLonger() throws Exception {
    KeyPair first = rsa();
    KeyPair second = rsa();
    published.set(jwks(first, "first"));
    TokenPolicy policy = await(TokenPolicy.create(vertx, new TokenKeys(null, java.util.List.of(),
        "http://127.0.0.1:" + issuer.actualPort() + "/jwks"), Duration.ofHours(1), Clock.systemUTC(),
        Duration.ofMillis(200)));
    assertEquals("abc", await(policy.verify(token(first, "abc"))).getString("sub"));
    assertInstanceOf(InvalidTokenException.class, failure(policy.verify(token(second, "abc"))));

    published.set(jwks(second, "second"));
    String rotated = token(second, "abc");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (failure(policy.verify(rotated)) != null && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50); // the next fetch is at most 200 ms away
    }
    assertEquals("abc", await(policy.verify(rotated)).getString("sub"));
    assertInstanceOf(InvalidTokenException.class, failure(policy.verify(token(first, "abc"))));
  }

  @Test
  void aUrlWithoutKeysFailsNamingIt() {
    published.set(new JsonObject().put("keys", new JsonArray()));
    String url = "http://127.0.0.1:" + issuer.actualPort() + "/jwks";
    Throwable refused = failure(TokenPolicy.create(vertx, new TokenKeys(null, java.util.List.of(), url),
        Duration.ofHours(1), Clock.systemUTC()));
    assertTrue(refused.getMessage().contains(url) && refused.getMessage().contains("no RS256 or ES256"),
        refused.getMessage());
  }

  private String token(KeyPair keys, String user) {
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setBuffer(pem)));
    return signer.generateToken(new JsonObject().put("sub", user).put("exp", System.currentTimeMillis() / 1000 + 600),
        new JWTOptions().setAlgorithm("RS256"));
  }

  private static JsonObject jwks(KeyPair keys, String id) {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    return new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "RSA").put("use", "sig")
        .put("kid", id).put("n", base64url(key.getModulus())).put("e", base64url(key.getPublicExponent()))));
  }

  private static String base64url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(bytes, skip, bytes.length));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (Exception e) {
      return e;
    }
  }
}
