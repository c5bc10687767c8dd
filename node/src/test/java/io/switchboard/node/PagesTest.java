package io.switchboard.node;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages every node serves from its jar, and the demo tokens a node in demo mode hands out for them (the pages
 * themselves are tested in a browser by clients/browser-tests).
 */
class PagesTest extends NodeTestBase {

  private record Page(int status, MultiMap headers, String body) {
  }

  /** Kept while the test runs: a client no longer referenced may be closed under a request in flight. */
  private HttpClient http;

  private Page get(int port, String path) {
    if (http == null) {
      http = vertx.createHttpClient();
    }
    return TestClient.await(http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Page(response.statusCode(), response.headers(), body.toString()))));
  }

  @Test
  void everyPageIsServedWithItsScriptAndAPolicyThatRunsNoOtherScript() {
    for (String page : new String[] {"chat", "agent", "admin"}) {
      Page html = get(node.node.httpPort(), "/" + page);
      assertEquals(200, html.status(), page);
      assertTrue(html.headers().get("content-type").startsWith("text/html"), page);
      assertTrue(html.headers().get("content-security-policy").contains("script-src 'self'"), page);
      assertTrue(html.body().contains("src=\"/pages/" + page + ".js\""), page);
      Page script = get(node.node.httpPort(), "/pages/" + page + ".js");
      assertEquals(200, script.status(), page);
      assertTrue(script.headers().get("content-type").contains("javascript"), page);
    }
    assertEquals(200, get(node.node.httpPort(), "/pages/pages.css").status());
    assertEquals(404, get(node.node.httpPort(), "/pages/").status());
  }

  @Test
  void aNodeWithItsOwnSecretHandsOutNoTokens() {
    assertEquals(404, get(node.node.httpPort(), "/demo/token?user=abc").status());
    assertEquals(404, get(node.node.httpPort(), "/demo/token").status());
  }

  @Test
  void aNodeInDemoModeHandsOutTokensForItsUsersThatLogIn() {
    NodeOptions options = NodeOptions.parse(new String[] {"--host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0"},
        Map.of());
    // A Vert.x of its own: two nodes on one event bus would serve each other's requests.
    Vertx own = Vertx.vertx();
    SwitchboardNode demo = TestClient.await(SwitchboardNode.start(own, options, Clock.systemUTC()));
    try {
      Page issued = get(demo.httpPort(), "/demo/token?user=abc");
      assertEquals(200, issued.status(), issued.body());
      assertEquals("no-store", issued.headers().get("cache-control"));
      String token = new JsonObject(issued.body()).getString("token");
      TestClient abc = track(TestClient.webSocket(vertx, demo.httpPort()));
      assertEquals("abc", abc.auth(token).getString("user"));

      assertError(get(demo.httpPort(), "/demo/token"), 400, "bad_request", "user is required");
      assertError(get(demo.httpPort(), "/demo/token?user=ghost"), 404, "not_found", "no user ghost");
      assertError(get(demo.httpPort(), "/demo/token?user=XianFengShuDian"), 404, "not_found", "no user XianFengShuDian");
    } finally {
      TestClient.await(demo.stop(Duration.ofSeconds(1)).eventually(own::close));
    }
  }

  private static void assertError(Page page, int status, String code, String says) {
    assertEquals(status, page.status(), page.body());
    JsonObject error = new JsonObject(page.body()).getJsonObject("error");
    assertEquals(code, error.getString("code"));
    assertTrue(error.getString("message").contains(says), page.body());
  }
}
