package io.switchboard.store.redis;

import io.switchboard.directory.Condition;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A virtual user's definition as {@code route.lua} runs it: the members in directory order, the available
 * statuses, and the chain as its steps' JSON plus what Lua should not derive on its own, so that the trace reads
 * as {@link io.switchboard.routing.PolicyChain}'s: a sticky step's expiration in milliseconds, and each condition
 * of a match step as Java prints it.
 */
final class RoutingPlan {

  /** History is kept at least this long, whatever the policy's expirations (as InMemoryStore does). */
  static final Duration HISTORY_MIN_RETENTION = Duration.ofDays(30);

  private RoutingPlan() {
  }

  static JsonObject of(VirtualUser virtualUser) {
    JsonArray chain = new JsonArray();
    for (PolicyStep step : virtualUser.policy().chain()) {
      JsonObject json = step.toJson();
      if (step instanceof PolicyStep.Sticky sticky) {
        json.put("expirationMs", sticky.expiration().toMillis());
      }
      if (step instanceof PolicyStep.Match match) {
        json.put("when", conditions(match.when())).put("select", conditions(match.select()))
            .put("selectText", match.select().stream().map(Condition::toString).collect(Collectors.joining(" and ")));
      }
      chain.add(json);
    }
    return new JsonObject()
        .put("members", new JsonArray(virtualUser.members()))
        .put("available", virtualUser.policy().toJson().getJsonArray("availableStatuses"))
        .put("chain", chain);
  }

  /** How long the history with this virtual user is kept: 30 days, or twice its longest sticky expiration. */
  static Duration historyRetention(VirtualUser virtualUser) {
    return virtualUser.policy().chain().stream()
        .filter(step -> step instanceof PolicyStep.Sticky)
        .map(step -> ((PolicyStep.Sticky) step).expiration().multipliedBy(2))
        .filter(twice -> twice.compareTo(HISTORY_MIN_RETENTION) > 0)
        .max(Duration::compareTo)
        .orElse(HISTORY_MIN_RETENTION);
  }

  private static JsonArray conditions(List<Condition> conditions) {
    JsonArray array = new JsonArray();
    conditions.forEach(condition -> array.add(condition.toJson().put("text", condition.toString())));
    return array;
  }
}
