package io.switchboard.conversation;

import io.switchboard.contract.UserEvent;
import io.switchboard.contract.MessageEvent;
import io.vertx.core.json.JsonObject;

/** One message of a conversation's transcript as a party sees it, marked how it was handled for its recipient. */
public record TranscriptEntry(MessageEvent message, Handling.Disposition handling) {

  public JsonObject toJson() {
    JsonObject json = message.toJson();
    json.remove(UserEvent.KIND);
    return json.put("handling", handling.wire());
  }
}
