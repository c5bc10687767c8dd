package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/** A group of sub-users behind one id, with the policy that picks one of them for a conversation. */
public record VirtualUser(String id, String name, List<String> members, Policy policy) {

  public VirtualUser {
    members = List.copyOf(members);
    if (members.stream().distinct().count() != members.size()) {
      throw new InvalidDefinitionException("members of " + id + " must not repeat");
    }
  }

  /** History with a virtual user is kept at least this long, whatever its policy's expirations. */
  public static final Duration MIN_HISTORY_RETENTION = Duration.ofDays(30);

  /** How long the history with this virtual user is kept: 30 days, or twice its longest sticky expiration. */
  public Duration historyRetention() {
    return policy.chain().stream()
        .filter(step -> step instanceof PolicyStep.Sticky)
        .map(step -> ((PolicyStep.Sticky) step).expiration().multipliedBy(2))
        .filter(twice -> twice.compareTo(MIN_HISTORY_RETENTION) > 0)
        .max(Duration::compareTo)
        .orElse(MIN_HISTORY_RETENTION);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id);
    if (name != null) {
      json.put("name", name);
    }
    return json.put("members", new JsonArray(members)).put("policy", policy.toJson());
  }

  public static VirtualUser fromJson(JsonObject json) {
    Object policy = json.getValue("policy");
    if (policy != null && !(policy instanceof JsonObject)) {
      throw new InvalidDefinitionException("policy must be an object");
    }
    return new VirtualUser(Json.id(json, "id"), Json.optionalString(json, "name"), Json.ids(json, "members"),
        policy == null ? Policy.DEFAULT : Policy.fromJson((JsonObject) policy));
  }
}
