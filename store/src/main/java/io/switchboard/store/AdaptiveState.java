package io.switchboard.store;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * What the adaptive manager keeps of one user (docs/RULES.md § "Suggestions"): its feedback on messages it received
 * and what it was observed to receive and send, each oldest first, and the keys of the suggestions it dismissed.
 */
public record AdaptiveState(List<JsonObject> feedback, List<JsonObject> observations, Set<String> dismissed) {

  public AdaptiveState {
    feedback = List.copyOf(feedback);
    observations = List.copyOf(observations);
    dismissed = Set.copyOf(dismissed);
  }
}
