package io.switchboard.admin;

import io.switchboard.auth.TokenPolicy;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.QueueStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How store failures reach admin clients: an unreachable store is 503 {@code store_unavailable}, anything
 * unexpected 500 {@code internal} without its details. The store is a stand-in whose every call fails.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class StoreFailureTest {

  private static final String SECRET = "admin-test-secret-0123456789abcdef";

  /** What every store call fails with in the current test. */
  private Throwable storeFailure;
  private String token;
  private int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext testContext) {
    TokenPolicy tokens = TokenPolicy.hs256(vertx, SECRET, TokenPolicy.DEFAULT_MAX_LIFETIME, Clock.systemUTC());
    token = tokens.sign(new JsonObject().put("sub", "ops").put("roles", new JsonArray().add(AdminApi.ADMIN_ROLE)),
        Duration.ofMinutes(5));
    Router router = Router.router(vertx);
    AdminApi.mount(router, failing(DirectoryStore.class), failing(ConversationStore.class), failing(RulesStore.class),
        failing(QueueStore.class), tokens, 100, TestContract.load(vertx), new LiveViews(failing(DirectoryStore.class),
        failing(QueueStore.class), LiveViews.MAX_KEEPALIVE, LiveViews.DEFAULT_MAX_CLIENTS), Clock.systemUTC());
    vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .map(HttpServer::actualPort)
        .onComplete(testContext.succeeding(bound -> {
          port = bound;
          testContext.completeNow();
        }));
  }

  /** A store slice whose every call fails with {@link #storeFailure}. */
  private <T> T failing(Class<T> slice) {
    return slice.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {slice},
        (proxy, method, args) -> Future.failedFuture(storeFailure)));
  }

  @Test
  void anUnreachableStoreIs503(Vertx vertx, VertxTestContext testContext) {
    storeFailure = new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "redis is unreachable");
    expectError(vertx, testContext, HttpMethod.PUT, "/api/v1/users/anna", 503, "store_unavailable", "redis is unreachable");
  }

  @Test
  void anUnexpectedFailureIs500WithoutItsDetails(Vertx vertx, VertxTestContext testContext) {
    storeFailure = new IllegalStateException("secret internals");
    expectError(vertx, testContext, HttpMethod.GET, "/api/v1/virtual-users/shop/status", 500, "internal", "log");
  }

  private record Answer(int status, JsonObject body) {
  }

  private void expectError(Vertx vertx, VertxTestContext testContext, HttpMethod method, String uri, int status,
                           String code, String messagePart) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    // Set up on an event loop, so that the response body cannot arrive before its handler.
    vertx.runOnContext(v -> vertx.createHttpClient().request(options)
        .compose(request -> request.send("{}"))
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toJsonObject())))
        .onComplete(testContext.succeeding(answer -> testContext.verify(() -> {
          JsonObject error = answer.body().getJsonObject("error");
          assertEquals(status, answer.status(), error::encode);
          assertEquals(code, error.getString("code"));
          assertTrue(error.getString("message").contains(messagePart), error::encode);
          assertFalse(error.getString("message").contains("secret internals"));
          testContext.completeNow();
        }))));
  }
}
