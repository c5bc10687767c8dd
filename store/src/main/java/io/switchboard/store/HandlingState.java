package io.switchboard.store;

import io.switchboard.contract.Status;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * What a user's handling rules read to judge a message in one conversation: the rules document (null when the
 * user has none), the user's status and activity, until when each activated rule is active (epoch ms), and when
 * the user last sent a closing in this conversation (null if never).
 */
public record HandlingState(JsonObject rules, Status status, String activity, Map<String, Long> activeUntil,
                            Long lastClosingSent) {

  public HandlingState {
    activeUntil = Map.copyOf(activeUntil);
  }
}
