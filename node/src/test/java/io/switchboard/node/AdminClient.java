package io.switchboard.node;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The admin API over real HTTP, driven from the test thread like {@link TestClient}. */
final class AdminClient {

  /** An answer: the status, the {@code WWW-Authenticate} header and the body as text. */
  record Response(int status, String authenticate, String body) {

    /** The JSON body of a 200. */
    JsonObject ok() {
      assertEquals(200, status, body);
      return new JsonObject(body);
    }

    /** The error's message, after asserting the status, the code and that the message says something. */
    String error(int expectedStatus, String code) {
      assertEquals(expectedStatus, status, body);
      JsonObject error = new JsonObject(body).getJsonObject("error");
      assertEquals(code, error.getString("code"), body);
      assertFalse(error.getString("message").isBlank(), body);
      return error.getString("message");
    }
  }

  /** How long an idle connection is kept for the next request. */
  private static final int IDLE_SECONDS = 2;

  private final Context context;
  private final HttpClientAgent http;
  private final int port;
  private final String authorization;

  private AdminClient(Context context, HttpClientAgent http, int port, String authorization) {
    this.context = context;
    this.http = http;
    this.port = port;
    this.authorization = authorization;
  }

  /** A client that sends {@code Authorization: Bearer <token>}, or no Authorization header for a null token. */
  static AdminClient bearer(Vertx vertx, int port, String token) {
    // The node closes a connection left idle past its request deadline (10 s): the client lets go of an idle one long
    // before, so that it never sends a request on a connection the node is closing (HttpClosedException).
    HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(IDLE_SECONDS));
    return new AdminClient(vertx.getOrCreateContext(), http, port, token == null ? null : "Bearer " + token);
  }

  /** The same client with another Authorization header (null for none). */
  AdminClient withAuthorization(String header) {
    return new AdminClient(context, http, port, header);
  }

  Response get(String uri) {
    return send(HttpMethod.GET, uri, null);
  }

  Response put(String uri, JsonObject body) {
    return send(HttpMethod.PUT, uri, body.encode());
  }

  Response post(String uri, JsonObject body) {
    return send(HttpMethod.POST, uri, body.encode());
  }

  /** Sends {@code body} as it is (null for none), as JSON. */
  Response send(HttpMethod method, String uri, String body) {
    return send(method, uri, body, body == null ? null : "application/json");
  }

  /** Sends {@code body} as it is (null for none) with {@code contentType} (null for no Content-Type). */
  Response send(HttpMethod method, String uri, String body, String contentType) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    if (authorization != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (contentType != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    // The whole exchange is set up in one event-loop task, so the body cannot arrive before its handler is set.
    Promise<Response> answer = Promise.promise();
    context.runOnContext(v -> http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(bytes ->
            new Response(response.statusCode(), response.getHeader("WWW-Authenticate"), bytes.toString())))
        .onComplete(answer));
    try {
      return TestClient.await(answer.future());
    } catch (AssertionError e) {
      throw new AssertionError(method + " " + uri + ": " + e.getMessage(), e);
    }
  }
}
