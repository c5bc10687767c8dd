package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * How an open ended, sent by the router to the gateway that asked ({@link OpenRequest#gateway()}), for its request
 * {@code request}: the conversation opened (what the client is told, and the whole conversation for the gateway,
 * which then needs not read it), or a failure with its protocol code.
 */
public record OpenOutcome(String request, OpenResult opened, JsonObject conversation, ErrorCode code, String message)
    implements GatewayMessage {

  public static OpenOutcome opened(String request, OpenResult opened, JsonObject conversation) {
    return new OpenOutcome(request, opened, conversation, null, null);
  }

  public static OpenOutcome failed(String request, SwitchboardException failure) {
    return new OpenOutcome(request, null, null, failure.code(), failure.getMessage());
  }

  /** The failure this outcome reports; only for an outcome without {@link #opened()}. */
  public SwitchboardException failure() {
    return new SwitchboardException(code, message);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("request", request);
    return opened != null ? json.put("opened", opened.toJson()).put("conversation", conversation)
        : json.put("code", code.wire()).put("message", message);
  }

  static OpenOutcome fromJson(JsonObject json) {
    JsonObject opened = json.getJsonObject("opened");
    return opened != null ? opened(json.getString("request"), OpenResult.fromJson(opened), json.getJsonObject("conversation"))
        : failed(json.getString("request"), new SwitchboardException(ErrorCode.ofWire(json.getString("code")),
            json.getString("message")));
  }
}
