package io.switchboard.node;

import io.vertx.core.http.WebSocketClientOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With {@code --websocket-compression} an operator lets trusted clients compress: permessage-deflate is agreed. */
class WebSocketCompressionTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return new String[] {"--websocket-compression"};
  }

  @Test
  void compressionIsNegotiatedWhenEnabled() {
    TestClient client = track(TestClient.webSocket(vertx, node.node.httpPort(),
        new WebSocketClientOptions().setTryUsePerMessageCompression(true)));
    String extensions = client.handshake().get("Sec-WebSocket-Extensions");
    assertTrue(extensions != null && extensions.contains("permessage-deflate"), String.valueOf(extensions));
    client.auth(node.token("abc"));
    assertEquals("pong", client.request(NodeTestBase.frame("ping").put("pad", "z".repeat(50_000))).getString("type"));
  }
}
