package io.switchboard.rules;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * One handling rule: {@code {"id", "priority", "enabled", "when", "then"}}.
 *
 * @param id       unique in its document; activations and notices name the rule by it
 * @param priority lower is tried first; rules of equal priority are tried in document order (default 0)
 * @param enabled  a disabled rule is never tried (default true)
 * @param when     the condition
 * @param then     the action
 */
public record Rule(String id, int priority, boolean enabled, Condition when, Action then) {

  static final List<String> KEYS = List.of("id", "priority", "enabled", "when", "then");

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(then, "then");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("priority", priority);
    if (!enabled) {
      json.put("enabled", false);
    }
    return json.put("when", when.toJson()).put("then", then.toJson());
  }

  static Rule fromJson(Fields json) {
    return new Rule(json.id("id"), json.integer("priority", 0), json.flag("enabled", true),
        Condition.fromJson(json.object("when", Condition.KEYS)), Action.fromJson(json.object("then", Action.KEYS)));
  }
}
