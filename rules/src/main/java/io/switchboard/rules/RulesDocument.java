package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One user's handling rules (docs/RULES.md): {@code {"timeZone", "rules": [...], "activations": [...]}}.
 * Checked as a whole when read: every problem is an {@link InvalidRulesException} naming its path.
 *
 * @param timeZone    the zone of time conditions (default UTC)
 * @param rules       the handling rules, in document order
 * @param activations the activations
 */
public record RulesDocument(ZoneId timeZone, List<Rule> rules, List<ActivationRule> activations) {

  static final List<String> KEYS = List.of("timeZone", "rules", "activations");
  public static final int MAX_RULES = 100;
  public static final int MAX_ACTIVATIONS = 100;
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");
  /** A user without rules: every message is delivered with popup. */
  public static final RulesDocument EMPTY = new RulesDocument(DEFAULT_ZONE, List.of(), List.of());

  public RulesDocument {
    Objects.requireNonNull(timeZone, "timeZone");
    rules = List.copyOf(rules);
    activations = List.copyOf(activations);
    if (rules.size() > MAX_RULES) {
      throw new InvalidRulesException("rules", "at most " + MAX_RULES + " rules, not " + rules.size());
    }
    if (activations.size() > MAX_ACTIVATIONS) {
      throw new InvalidRulesException("activations",
          "at most " + MAX_ACTIVATIONS + " activations, not " + activations.size());
    }
    List<String> ruleIds = rules.stream().map(Rule::id).toList();
    requireUnique(ruleIds, "rules");
    requireUnique(activations.stream().map(ActivationRule::id).toList(), "activations");
    for (int i = 0; i < activations.size(); i++) {
      List<String> activated = activations.get(i).activate();
      for (int j = 0; j < activated.size(); j++) {
        if (!ruleIds.contains(activated.get(j))) {
          throw new InvalidRulesException("activations[" + i + "].activate[" + j + "]",
              Fields.show(activated.get(j)) + " is not the id of a rule");
        }
      }
    }
  }

  private static void requireUnique(List<String> ids, String list) {
    for (int i = 0; i < ids.size(); i++) {
      int first = ids.indexOf(ids.get(i));
      if (first < i) {
        throw new InvalidRulesException(list + "[" + i + "].id",
            Fields.show(ids.get(i)) + " is already the id of " + list + "[" + first + "]");
      }
    }
  }

  /** The rules in the order they are tried: by priority, ascending; equal priorities in document order. */
  public List<Rule> evaluationOrder() {
    return rules.stream().sorted(Comparator.comparingInt(Rule::priority)).toList(); // a stable sort
  }

  /** Whether an activation names the rule, so that it is active only after a trigger. */
  public boolean isActivated(String ruleId) {
    return activations.stream().anyMatch(activation -> activation.activate().contains(ruleId));
  }

  public JsonObject toJson() {
    return new JsonObject().put("timeZone", timeZone.getId())
        .put("rules", new JsonArray(rules.stream().map(Rule::toJson).toList()))
        .put("activations", new JsonArray(activations.stream().map(ActivationRule::toJson).toList()));
  }

  /** Reads and checks a document; every key but the three of the top level may be left out. */
  public static RulesDocument fromJson(JsonObject json) {
    Fields root = Fields.root(json, KEYS);
    return new RulesDocument(timeZone(root),
        root.objects("rules", Rule.KEYS).stream().map(Rule::fromJson).toList(),
        root.objects("activations", ActivationRule.KEYS).stream().map(ActivationRule::fromJson).toList());
  }

  private static ZoneId timeZone(Fields root) {
    String name = root.optionalString("timeZone");
    if (name == null) {
      return DEFAULT_ZONE;
    }
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw root.invalid("timeZone", Fields.show(name) + " is not a time zone (an IANA name such as Europe/Berlin)");
    }
  }
}
