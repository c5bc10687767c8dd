package io.switchboard.contract;

import io.vertx.core.json.JsonObject;

/**
 * A message for its recipient: {@code from} as the recipient sees it (the virtual user for a sub-user's
 * message), {@code agent} the sub-user when the virtual user reveals it, else null; {@code notify} the level the
 * recipient's handling rules chose ({@code popup}, {@code silent}, {@code none}); {@code auto} for an automatic
 * reply; {@code rule} the id of the recipient's rule that decided {@code notify} (or held the message), null when
 * no rule did.
 */
public record MessageEvent(String conversation, String from, String agent, long seq, long ts, String body,
                           String notifyLevel, boolean auto, String rule) implements UserEvent {

  /** The level when no handling rule says otherwise. */
  public static final String POPUP = "popup";

  static final String KIND_NAME = "message";

  /** A message delivered as rules with no opinion deliver it: popup, not automatic. */
  public MessageEvent(String conversation, String from, String agent, long seq, long ts, String body) {
    this(conversation, from, agent, seq, ts, body, POPUP, false, null);
  }

  /** A message no rule decided on. */
  public MessageEvent(String conversation, String from, String agent, long seq, long ts, String body,
                      String notifyLevel, boolean auto) {
    this(conversation, from, agent, seq, ts, body, notifyLevel, auto, null);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(KIND, KIND_NAME).put("conversation", conversation).put("from", from)
        .put("seq", seq).put("ts", ts).put("body", body).put("notify", notifyLevel);
    if (agent != null) {
      json.put("agent", agent);
    }
    if (auto) {
      json.put("auto", true);
    }
    if (rule != null) {
      json.put("rule", rule);
    }
    return json;
  }

  static MessageEvent fromJson(JsonObject json) {
    return new MessageEvent(json.getString("conversation"), json.getString("from"), json.getString("agent"),
        json.getLong("seq"), json.getLong("ts"), json.getString("body"), json.getString("notify", POPUP),
        json.getBoolean("auto", false), json.getString("rule"));
  }
}
