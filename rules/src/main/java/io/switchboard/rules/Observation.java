package io.switchboard.rules;

import io.vertx.core.json.JsonObject;

/**
 * One thing the adaptive manager saw a user do or receive, without being told (docs/RULES.md § "Suggestions"): a
 * message it received or one it sent, in which conversation and at which {@code seq} (so that the answer to a
 * message is the user's next one there, whatever the clocks say), with the user's status and activity at that moment.
 *
 * @param sent         true for a message the user sent, false for one it received
 * @param conversation the conversation
 * @param seq          the message's number in the conversation
 * @param sender       for a received message, the sender as the user saw it; null for a sent one
 * @param closing      whether the message is a closing ({@link ClosingClass})
 * @param at           when (epoch ms)
 * @param status       the user's status then ({@code online}, {@code busy}, …); null until the store stamps it
 * @param activity     the user's activity then, or null for none
 */
public record Observation(boolean sent, String conversation, long seq, String sender, boolean closing, long at,
                         String status, String activity) {

  /** A message the user received, a closing or not; the store stamps the status and activity. */
  public static Observation received(String conversation, long seq, String sender, boolean closing, long at) {
    return new Observation(false, conversation, seq, sender, closing, at, null, null);
  }

  /** A message the user sent, a closing or not; the store stamps the status and activity. */
  public static Observation sent(String conversation, long seq, boolean closing, long at) {
    return new Observation(true, conversation, seq, null, closing, at, null, null);
  }

  /** Whether the user was in {@code state} then: {@code busy} is a status, anything else an activity. */
  boolean in(String state) {
    return Suggestions.BUSY.equals(state) ? state.equals(status) : state.equals(activity);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", sent ? "sent" : "received").put("conversation", conversation)
        .put("seq", seq).put("closing", closing).put("at", at);
    if (sender != null) {
      json.put("sender", sender);
    }
    if (status != null) {
      json.put("status", status);
    }
    if (activity != null) {
      json.put("activity", activity);
    }
    return json;
  }

  public static Observation fromJson(JsonObject json) {
    return new Observation("sent".equals(json.getString("kind")), json.getString("conversation"),
        json.getLong("seq"), json.getString("sender"), json.getBoolean("closing", false), json.getLong("at"),
        json.getString("status"), json.getString("activity"));
  }
}
