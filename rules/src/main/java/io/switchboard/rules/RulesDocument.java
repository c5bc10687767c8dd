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
 * Checked as a whole when read: every problem is an {@link InvalidRulesException} naming its path. A class
 * rather than a record for the one thing derived from the rules when they are read: how many characters of a
 * message their content conditions read ({@link ContentCost}).
 */
public final class RulesDocument {

  static final List<String> KEYS = List.of("timeZone", "rules", "activations", "defaults");
  /** A defaults document has no activations (nothing a user does triggers them) and no switch of its own. */
  static final List<String> DEFAULTS_KEYS = List.of("timeZone", "rules");
  public static final int MAX_RULES = 100;
  public static final int MAX_ACTIVATIONS = 100;
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");
  /** A user without rules: every message is delivered with popup. */
  public static final RulesDocument EMPTY = new RulesDocument(DEFAULT_ZONE, List.of(), List.of());
  /**
   * The server's default rules when an operator set none (docs/RULES.md § "Server default rules"): a closing that
   * follows the user's own closing in the same conversation within ten minutes arrives without a notification.
   */
  public static final RulesDocument SHIPPED_DEFAULTS = defaultsFromJson(new JsonObject()
      .put("rules", new JsonArray().add(new JsonObject().put("id", "default-quiet-closings")
          .put("when", new JsonObject().put("content", new JsonObject().put("class", "closing"))
              .put("conversation", new JsonObject().put("closingSentWithin", "PT10M")))
          .put("then", new JsonObject().put("notify", "none")))));

  private final ZoneId timeZone;
  private final List<Rule> rules;
  private final List<ActivationRule> activations;
  private final boolean useDefaults;
  private final int contentWindow;

  /**
   * @param timeZone    the zone of time conditions (default UTC)
   * @param rules       the handling rules, in document order
   * @param activations the activations
   * @param useDefaults whether the server's default rules apply after these ({@code "defaults": false} turns them off)
   */
  public RulesDocument(ZoneId timeZone, List<Rule> rules, List<ActivationRule> activations, boolean useDefaults) {
    this.useDefaults = useDefaults;
    this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
    this.rules = List.copyOf(rules);
    this.activations = List.copyOf(activations);
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
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (rule.then().disposition() == Verdict.Disposition.HOLD && rule.then().holdUntil() == null
          && !isActivated(rule.id()) && !rule.when().readsPresenceOrTime()) {
        throw new InvalidRulesException("rules[" + i + "].then.hold", "could never end: a hold needs a status, activity"
            + " or time condition, an activation, or {\"until\": <duration>}");
      }
    }
    long cost = rules.stream().mapToLong(rule -> rule.when().contentCost()).sum()
        + activations.stream().map(activation -> activation.on().content()).filter(Objects::nonNull)
        .mapToLong(ContentMatch::cost).sum();
    this.contentWindow = ContentCost.window(cost);
  }

  /** A document of these rules and activations, after which the server's default rules apply. */
  public RulesDocument(ZoneId timeZone, List<Rule> rules, List<ActivationRule> activations) {
    this(timeZone, rules, activations, true);
  }

  /** Whether the server's default rules apply when none of these rules decides. */
  public boolean useDefaults() {
    return useDefaults;
  }

  public ZoneId timeZone() {
    return timeZone;
  }

  public List<Rule> rules() {
    return rules;
  }

  public List<ActivationRule> activations() {
    return activations;
  }

  /** How many characters of a message keywords and regexes read ({@link ContentCost}). */
  public int contentWindow() {
    return contentWindow;
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

  /** The rule with this id, or null. */
  public Rule rule(String id) {
    return rules.stream().filter(rule -> rule.id().equals(id)).findFirst().orElse(null);
  }

  /** Whether an activation names the rule, so that it is active only after a trigger. */
  public boolean isActivated(String ruleId) {
    return activations.stream().anyMatch(activation -> activation.activate().contains(ruleId));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("timeZone", timeZone.getId())
        .put("rules", new JsonArray(rules.stream().map(Rule::toJson).toList()))
        .put("activations", new JsonArray(activations.stream().map(ActivationRule::toJson).toList()));
    if (!useDefaults) {
      json.put("defaults", false);
    }
    return json;
  }

  /** A defaults document as {@link #defaultsFromJson} reads it: its time zone and rules. */
  public JsonObject toDefaultsJson() {
    return new JsonObject().put("timeZone", timeZone.getId())
        .put("rules", new JsonArray(rules.stream().map(Rule::toJson).toList()));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RulesDocument that && timeZone.equals(that.timeZone) && rules.equals(that.rules)
        && activations.equals(that.activations) && useDefaults == that.useDefaults;
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeZone, rules, activations, useDefaults);
  }

  @Override
  public String toString() {
    return "RulesDocument" + toJson().encode();
  }

  /** Reads and checks a document; every key but the three of the top level may be left out. */
  public static RulesDocument fromJson(JsonObject json) {
    Fields root = Fields.root(json, KEYS);
    return new RulesDocument(timeZone(root),
        root.objects("rules", Rule.KEYS).stream().map(Rule::fromJson).toList(),
        root.objects("activations", ActivationRule.KEYS).stream().map(ActivationRule::fromJson).toList(),
        root.flag("defaults", true));
  }

  /**
   * Reads and checks the server's default rules: a document of {@code timeZone} and {@code rules} only, checked like
   * a user's.
   */
  public static RulesDocument defaultsFromJson(JsonObject json) {
    Fields root = Fields.root(json, DEFAULTS_KEYS);
    return new RulesDocument(timeZone(root), root.objects("rules", Rule.KEYS).stream().map(Rule::fromJson).toList(),
        List.of());
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
