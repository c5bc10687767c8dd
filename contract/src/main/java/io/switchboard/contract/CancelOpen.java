package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/** {@code source} withdraws its open to {@code to}, the request {@code request} of the gateway {@code gateway}. */
public record CancelOpen(String source, String to, String gateway, String request) {

  /** The open's key across the cluster: a request key is unique on its gateway, a gateway id everywhere. */
  public String key() {
    return gateway + "/" + request;
  }

  public JsonObject toJson() {
    return new JsonObject().put("source", source).put("to", to).put("gateway", gateway).put("request", request);
  }

  static CancelOpen fromJson(JsonObject json) {
    return new CancelOpen(json.getString("source"), json.getString("to"), json.getString("gateway"),
        json.getString("request"));
  }
}
