package io.switchboard.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP port against clients that do not play by the rules: a body from someone without a token is never
 * read, a request dripped too slowly is cut off, a URL that cannot be decoded gets a JSON 400 — and the node
 * keeps answering everyone else meanwhile.
 */
class HttpLimitsTest extends NodeTestBase {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

  @Override
  String[] nodeOptions() {
    return new String[] {"--request-timeout", REQUEST_TIMEOUT.toString()};
  }

  @Test
  void anUnauthenticatedBodyIsRefusedBeforeItIsRead() {
    try (RawHttp client = new RawHttp(node.node.httpPort())) {
      // A 1 MB body is announced but only its first kilobyte sent: the answer cannot wait for the rest.
      client.write("POST /api/v1/history HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1048576\r\n\r\n" + "{\"records\":[" + " ".repeat(1024));
      String response = client.readUntilClosedOrQuiet(TestClient.WAIT);
      assertTrue(response.startsWith("HTTP/1.1 401"), response);
      assertTrue(response.contains("\"code\":\"unauthorized\""), response);
      assertTrue(client.closedByServer(), "the connection with the unread body is closed");
    }
    assertLive();
  }

  @Test
  void aRequestThatTakesTooLongToArriveIsCutOffWhileOthersAreServed() {
    try (RawHttp slow = new RawHttp(node.node.httpPort())) {
      slow.write("GET /health/live HTTP/1.1\r\nHost: node\r\n");
      // A header byte every 100 ms: never idle, never done.
      long drip = vertx.setPeriodic(100, id -> slow.write("X"));
      try {
        assertLive();
        assertTrue(slow.awaitClosed(TestClient.WAIT), "the dripping connection is closed");
      } finally {
        vertx.cancelTimer(drip);
      }
    }
  }

  @Test
  void aBodyThatTakesTooLongToArriveIsCutOff() {
    try (RawHttp slow = new RawHttp(node.node.httpPort())) {
      slow.write("PUT /api/v1/users/anna HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer " + node.adminToken()
          + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");
      long drip = vertx.setPeriodic(100, id -> slow.write(" "));
      try {
        assertTrue(slow.awaitClosed(TestClient.WAIT), "the dripping connection is closed");
      } finally {
        vertx.cancelTimer(drip);
      }
    }
    node.admin().get("/api/v1/users/anna").error(404, "not_found");
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheRequestTimeout() {
    try (RawHttp client = new RawHttp(node.node.httpPort())) {
      client.write("GET /health/live HTTP/1.1\r\nHost: node\r\n\r\n");
      String response = client.readUntilClosedOrQuiet(TestClient.WAIT);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(client.closedByServer(), "closed once no request followed within " + REQUEST_TIMEOUT);
    }
  }

  @Test
  void aMalformedUrlIsAJson400WithoutAStackTrace() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try {
      for (String target : new String[] {"/%ZZ", "/ws?%%", "/api/v1/users/%E0%A4%A"}) {
        try (RawHttp client = new RawHttp(node.node.httpPort())) {
          client.write("GET " + target + " HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n");
          String response = client.readUntilClosedOrQuiet(TestClient.WAIT);
          assertTrue(response.startsWith("HTTP/1.1 400"), target + ": " + response);
          assertTrue(response.contains("application/json"), target + ": " + response);
          JsonObject error = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
          assertEquals("bad_request", error.getString("code"), response);
          assertFalse(error.getString("message").isBlank());
        }
      }
      // The same for a WebSocket upgrade.
      try (RawHttp client = new RawHttp(node.node.httpPort())) {
        client.write("GET /ws?%% HTTP/1.1\r\nHost: node\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        String response = client.readUntilClosedOrQuiet(TestClient.QUIET);
        assertTrue(response.startsWith("HTTP/1.1 400") && response.contains("\"code\":\"bad_request\""), response);
      }
      assertLive();
    } finally {
      root.detachAppender(logged);
    }
    assertTrue(logged.list.stream().noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN)),
        () -> "logged " + logged.list);
  }

  private void assertLive() {
    HttpClient http = vertx.createHttpClient();
    int status = TestClient.await(http.request(HttpMethod.GET, node.node.httpPort(), "127.0.0.1", "/health/live")
        .compose(request -> request.send()).map(response -> response.statusCode()));
    assertEquals(200, status);
  }
}
