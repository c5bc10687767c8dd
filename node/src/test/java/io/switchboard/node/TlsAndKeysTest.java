package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.switchboard.node.NodeTestBase.frame;
import static io.switchboard.node.NodeTestBase.openAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and keys on node processes: real TLS handshakes on the WebSocket, TCP and admin ports with a certificate made
 * at test time, rediss:// to a Redis serving TLS, client tokens verified by RS256 and ES256 public keys and by a JWKS
 * URL, and admin tokens by a secret or a public key of their own.
 */
@ExtendWith(VertxExtension.class)
class TlsAndKeysTest {

  private static final String ADMIN_SECRET = "tls-and-keys-test-admin-secret-0123456789";

  @TempDir
  Path dir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void webSocketTcpAndTheAdminPortSpeakTls(Vertx vertx) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    int adminPort = NodeProcess.freePort();
    NodeProcess node = track(NodeProcess.start("tls", dir, List.of("--directory", directoryFile().toString(),
        "--tls-cert", certificate.cert().toString(), "--tls-key", certificate.key().toString(),
        "--admin-port", String.valueOf(adminPort), "--admin-jwt-secret", ADMIN_SECRET, "--request-timeout", "PT1S")));

    TestClient abc = track(TestClient.webSocket(vertx, node.httpPort, new WebSocketClientOptions().setSsl(true)
        .setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(certificate.cert().toString()))));
    abc.auth(clientToken(vertx, "abc"));
    TestClient bob = track(TestClient.tcp(tlsSocket(certificate.trustingIt(), node.tcpPort)));
    bob.auth(clientToken(vertx, "bob"));
    String conversation = openAccepted(abc, "bob", bob);
    abc.request(frame("send").put("conversation", conversation).put("body", "over TLS"));
    assertEquals("over TLS", bob.next("message").getString("body"));

    // A client that does not trust the certificate cannot even shake hands.
    assertThrows(SSLHandshakeException.class, () -> tlsSocket(SSLContext.getDefault(), node.tcpPort));

    HttpClient https = HttpClient.newBuilder().sslContext(certificate.trustingIt()).build();
    String adminToken = TestNode.token(vertx, ADMIN_SECRET, adminClaims());
    assertEquals(200, get(https, "https://127.0.0.1:" + adminPort + "/api/v1/users/abc", adminToken).statusCode());
    assertEquals(200, get(https, "https://127.0.0.1:" + adminPort + "/health/ready", null).statusCode());
    // The operator dashboard comes from the admin port too, where its calls to the admin API go.
    assertEquals(200, get(https, "https://127.0.0.1:" + adminPort + "/admin", null).statusCode());
    // A request dripped into the admin port is cut off after --request-timeout, as on the HTTP port.
    try (SSLSocket slow = tlsSocket(certificate.trustingIt(), adminPort)) {
      slow.getOutputStream().write("GET /health/ready HTTP/1.1\r\nHost: node\r\n".getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      assertEquals(-1, slow.getInputStream().read(), "closed without an answer");
    }
    // An admin token signed with the client secret is no admin token once admins have a secret of their own.
    String minted = TestNode.token(vertx, TestNode.SECRET, adminClaims());
    assertEquals(401, get(https, "https://127.0.0.1:" + adminPort + "/api/v1/users/abc", minted).statusCode());
    // The admin API has left the HTTP port; the health checks stay for load balancers.
    assertEquals(404, get(https, "https://127.0.0.1:" + node.httpPort + "/api/v1/users/abc", adminToken).statusCode());
    assertEquals(200, get(https, "https://127.0.0.1:" + node.httpPort + "/health/ready", null).statusCode());
  }

  @Test
  void theStoreIsReachedOverTlsWithRediss(Vertx vertx) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    int tlsPort = NodeProcess.freePort();
    track(tlsRedis(certificate, tlsPort));
    NodeProcess node = track(NodeProcess.start("rediss", dir, List.of("--directory", directoryFile().toString(),
        "--redis", "rediss://127.0.0.1:" + tlsPort, "--redis-ca", certificate.cert().toString())));
    TestClient abc = track(node.connect(vertx, "abc"));
    TestClient bob = track(node.connectTcp(vertx, "bob"));
    String conversation = openAccepted(abc, "bob", bob);
    // The store is that Redis alone, reached through its TLS port: every step above went through it.
    assertEquals(1, abc.request(frame("send").put("conversation", conversation).put("body", "stored")).getLong("seq"));
  }

  @Test
  void tokensAreVerifiedByRs256AndEs256PublicKeysAndAJwksUrlAdminOnesByKeysOfTheirOwn(Vertx vertx) throws Exception {
    KeyPair rsa = generate("RSA", null);
    KeyPair ec = generate("EC", new ECGenParameterSpec("secp256r1"));
    KeyPair published = generate("RSA", null);
    KeyPair stranger = generate("RSA", null);
    Path rsaPem = Files.writeString(dir.resolve("rsa.pem"), pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
    Path ecPem = Files.writeString(dir.resolve("ec.pem"), pem("PUBLIC KEY", ec.getPublic().getEncoded()));
    KeyPair adminKeys = generate("EC", new ECGenParameterSpec("secp256r1"));
    Path adminPem = Files.writeString(dir.resolve("admin.pem"), pem("PUBLIC KEY", adminKeys.getPublic().getEncoded()));
    RSAPublicKey publishedKey = (RSAPublicKey) published.getPublic();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "RSA")
        .put("use", "sig").put("alg", "RS256").put("kid", "published")
        .put("n", base64url(publishedKey.getModulus())).put("e", base64url(publishedKey.getPublicExponent()))));
    HttpServer issuer = TestClient.await(vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(jwks.encode()))
        .listen(0, "127.0.0.1"));
    NodeProcess node = track(NodeProcess.start("keys", dir, List.of("--directory", directoryFile().toString(),
        "--jwt-public-keys", rsaPem + "," + ecPem,
        "--jwks-url", "http://127.0.0.1:" + issuer.actualPort() + "/.well-known/jwks.json",
        "--admin-jwt-public-keys", adminPem.toString())));

    List<String> tokens = List.of(signed(vertx, "RS256", rsa, "abc"), signed(vertx, "ES256", ec, "abc"),
        signed(vertx, "RS256", published, "abc"), clientToken(vertx, "abc"));
    for (int i = 0; i < tokens.size(); i++) {
      TestClient client = track(TestClient.webSocket(vertx, node.httpPort));
      assertEquals("ready", client.request(frame("auth").put("token", tokens.get(i))).getString("type"),
          "token " + i + ": " + tokens.get(i));
    }
    TestClient refused = track(TestClient.webSocket(vertx, node.httpPort));
    refused.expectError(refused.request(frame("auth").put("token", signed(vertx, "RS256", stranger, "abc"))),
        "unauthenticated");

    // Admin tokens come from the admin issuer alone: one made with a client key is refused, roles or not.
    assertEquals(200, node.admin(vertx).withAuthorization("Bearer " + signed(vertx, "ES256", adminKeys, adminClaims()))
        .get("/api/v1/users/abc").status());
    node.admin(vertx).withAuthorization("Bearer " + signed(vertx, "RS256", rsa, adminClaims()))
        .get("/api/v1/users/abc").error(401, "unauthorized");
  }

  /** The event-bus port is the operator's to choose (a firewall opens it between nodes), not a random one. */
  @Test
  void aClusteredNodesEventBusListensOnTheGivenPort() {
    RedisServer redis = track(RedisServer.builder().build().start());
    int busPort = NodeProcess.freePort();
    NodeProcess node = track(NodeProcess.start("bus", dir, ClusterTest.with(ClusterTest.clusterOptions("--redis",
        redis.uri()), "--cluster-bus-port", String.valueOf(busPort))));
    assertTrue(ListeningSockets.of(node.pid()).contains("127.0.0.1:" + busPort), () -> ListeningSockets.of(node.pid())
        + " holds 127.0.0.1:" + busPort);
  }

  // --- helpers

  /**
   * A redis-server from the PATH that speaks TLS alone, on {@code port}, started here rather than by the Redis
   * fixture, which may run Redis in a container that cannot read the test's certificate.
   */
  private AutoCloseable tlsRedis(TestCertificate certificate, int port) throws Exception {
    Process redis = new ProcessBuilder("redis-server", "--port", "0", "--bind", "127.0.0.1", "--save", "",
        "--tls-port", String.valueOf(port), "--tls-cert-file", certificate.cert().toString(),
        "--tls-key-file", certificate.key().toString(), "--tls-ca-cert-file", certificate.cert().toString(),
        "--tls-auth-clients", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-tls.log").toFile()).start();
    AutoCloseable stop = () -> {
      redis.destroyForcibly();
      redis.waitFor();
    };
    for (long deadline = System.nanoTime() + TestClient.WAIT.toNanos(); ; ) {
      try (SSLSocket probe = tlsSocket(certificate.trustingIt(), port)) {
        return stop;
      } catch (java.io.IOException notYet) {
        if (!redis.isAlive() || System.nanoTime() > deadline) {
          stop.close();
          throw new AssertionError("redis-server with TLS did not start: " + Files.readString(dir.resolve("redis-tls.log")));
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
  }

  private Path directoryFile() throws Exception {
    Path file = dir.resolve("directory.json");
    return Files.exists(file) ? file : Files.writeString(file, NodeTestBase.directory().encode());
  }

  private static String clientToken(Vertx vertx, String user) {
    return TestNode.token(vertx, TestNode.SECRET, new JsonObject().put("sub", user).put("exp", TestNode.inAnHour()));
  }

  private static JsonObject adminClaims() {
    return new JsonObject().put("sub", "ops").put("roles", new JsonArray().add("admin")).put("exp", TestNode.inAnHour());
  }

  private static SSLSocket tlsSocket(SSLContext context, int port) throws Exception {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout((int) TestClient.WAIT.toMillis());
    socket.startHandshake();
    return socket;
  }

  private static HttpResponse<String> get(HttpClient http, String uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(TestClient.WAIT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (curve != null) {
      generator.initialize(curve);
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  /** A token for {@code user} signed by the issuer holding {@code keys}, as an identity provider would make it. */
  private static String signed(Vertx vertx, String algorithm, KeyPair keys, String user) {
    return signed(vertx, algorithm, keys, new JsonObject().put("sub", user).put("exp", TestNode.inAnHour()));
  }

  private static String signed(Vertx vertx, String algorithm, KeyPair keys, JsonObject claims) {
    JWTAuth issuer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(algorithm).setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
    return issuer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String base64url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }
}
