package io.switchboard.node;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probes a load balancer or orchestrator uses. */
class HealthTest extends NodeTestBase {

  @Test
  void aStartedNodeIsLiveAndReady() {
    HttpClient http = vertx.createHttpClient();
    for (String path : new String[] {"/health/live", "/health/ready"}) {
      var response = TestClient.await(http.request(HttpMethod.GET, node.node.httpPort(), "127.0.0.1", path)
          .compose(request -> request.send())
          .compose(reply -> reply.body().map(body -> new JsonObject().put("code", reply.statusCode())
              .put("body", body.toJsonObject()))));
      assertEquals(200, response.getInteger("code"), path);
      assertEquals("UP", response.getJsonObject("body").getString("status"), path);
    }
  }
}
