package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One step of a virtual user's policy chain, in its JSON form (docs/POLICY.md); {@code PolicyChain} runs them. */
public sealed interface PolicyStep {

  String type();

  JsonObject toJson();

  /** Which member a {@link Sticky} step takes among those with a valid history record. */
  enum Among {
    LATEST, NEAREST;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A member who handled this source within {@code expiration}: the latest one, or the nearest of them. */
  record Sticky(Duration expiration, Among among) implements PolicyStep {
    public static final Duration DEFAULT_EXPIRATION = Duration.ofHours(24);

    @Override
    public String type() {
      return "sticky";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("expiration", expiration.toString()).put("among", among.wire());
    }
  }

  /** The available member under capacity with the fewest open conversations. */
  record LeastLoad() implements PolicyStep {
    @Override
    public String type() {
      return "least-load";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type());
    }
  }

  /** The available member under capacity nearest to the source (great-circle distance). */
  record Nearest() implements PolicyStep {
    @Override
    public String type() {
      return "nearest";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type());
    }
  }

  /**
   * When the source satisfies {@code when}, least-load among the members that satisfy {@code select}; and the open
   * takes {@code priority} in the queue (null: the source's own), docs/POLICY.md § Queue.
   */
  record Match(List<Condition> when, List<Condition> select, Integer priority) implements PolicyStep {
    public Match {
      when = List.copyOf(when);
      select = List.copyOf(select);
    }

    public Match(List<Condition> when, List<Condition> select) {
      this(when, select, null);
    }

    /** Whether the source, with these attributes, satisfies {@code when}. */
    public boolean holdsFor(JsonObject sourceAttributes) {
      return when.stream().allMatch(condition -> condition.test(sourceAttributes, sourceAttributes));
    }

    @Override
    public String type() {
      return "match";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type()).put("when", conditions(when)).put("select", conditions(select));
      return priority == null ? json : json.put("priority", priority);
    }

    private static JsonArray conditions(List<Condition> conditions) {
      JsonArray array = new JsonArray();
      conditions.forEach(condition -> array.add(condition.toJson()));
      return array;
    }
  }

  /** The next available member under capacity after the one this step chose last, in member order. */
  record RoundRobin() implements PolicyStep {
    @Override
    public String type() {
      return "round-robin";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type());
    }
  }

  /**
   * Nobody here can take the open: it goes through the chain of the virtual user {@code to}, at once, or after it
   * waited {@code after} in this one's queue (null: at once). Always the last step (docs/POLICY.md § overflow).
   */
  record Overflow(String to, Duration after) implements PolicyStep {
    @Override
    public String type() {
      return "overflow";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type()).put("to", to);
      return after == null ? json : json.put("after", after.toString());
    }
  }

  static PolicyStep fromJson(JsonObject json, String where) {
    Object type = json.getValue("type");
    if (type == null) {
      throw new InvalidDefinitionException(where + ".type is required");
    }
    switch (String.valueOf(type)) {
      case "sticky" -> {
        Object expiration = json.getValue("expiration");
        Object among = json.getValue("among", "latest");
        Among parsed = "latest".equals(among) ? Among.LATEST : "nearest".equals(among) ? Among.NEAREST : null;
        if (parsed == null) {
          throw new InvalidDefinitionException(where + ".among must be latest or nearest, not " + among);
        }
        return new Sticky(expiration == null ? Sticky.DEFAULT_EXPIRATION : Json.duration(expiration, where + ".expiration"),
            parsed);
      }
      case "least-load" -> {
        return new LeastLoad();
      }
      case "nearest" -> {
        return new Nearest();
      }
      case "round-robin" -> {
        return new RoundRobin();
      }
      case "overflow" -> {
        Object after = json.getValue("after");
        return new Overflow(Json.id(json, "to", where + ".to"),
            after == null ? null : Json.duration(after, where + ".after"));
      }
      case "match" -> {
        List<Condition> select = conditions(json.getValue("select"), where + ".select", true);
        if (select.isEmpty()) {
          throw new InvalidDefinitionException(where + ".select needs at least one condition on members");
        }
        Object priority = json.getValue("priority");
        if (priority != null && !(priority instanceof Integer)) {
          throw new InvalidDefinitionException(where + ".priority must be a whole number, not " + priority);
        }
        return new Match(conditions(json.getValue("when"), where + ".when", false), select, (Integer) priority);
      }
      default -> throw new InvalidDefinitionException(
          where + ".type must be one of sticky, least-load, nearest, match, round-robin, overflow; not " + type);
    }
  }

  private static List<Condition> conditions(Object json, String where, boolean mayReferToSource) {
    if (json == null) {
      return List.of();
    }
    if (!(json instanceof JsonArray array)) {
      throw new InvalidDefinitionException(where + " must be an array of conditions");
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      conditions.add(Condition.fromJson(array.getValue(i), where + "[" + i + "]", mayReferToSource));
    }
    return conditions;
  }
}
