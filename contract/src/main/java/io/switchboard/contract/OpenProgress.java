package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * How a waiting open of the gateway's request {@code request} is getting on, from the router of {@code router}
 * (where a {@link CancelOpen} for it goes now): {@code position} in the queue of {@code to} from 1 with an
 * {@code estimatedWait} in ms (null when unknown), or 0 once it left the queue to be offered. The gateway waits for
 * the outcome until {@code until} (epoch ms).
 */
public record OpenProgress(String request, String router, String to, int position, Long estimatedWait, long until)
    implements GatewayMessage {

  public JsonObject toJson() {
    return new JsonObject().put("request", request).put("router", router).put("to", to).put("position", position)
        .put("estimatedWait", estimatedWait).put("until", until);
  }

  static OpenProgress fromJson(JsonObject json) {
    return new OpenProgress(json.getString("request"), json.getString("router"), json.getString("to"),
        json.getInteger("position"), json.getLong("estimatedWait"), json.getLong("until"));
  }
}
