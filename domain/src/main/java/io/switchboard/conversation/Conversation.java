package io.switchboard.conversation;

import io.switchboard.contract.MessageEvent;
import io.vertx.core.json.JsonObject;

/**
 * An open conversation between {@code source} and {@code agent}. For a virtual destination the agent is the
 * member who accepted it, and the source sees the virtual user as its partner; for a common user agent = destination.
 * A transfer hands it to another agent (and maybe destination) under the same id: its transcript may hold messages of
 * earlier agents.
 */
public record Conversation(String id, String source, String destination, String agent, boolean revealAgent, long openedAt) {

  /** The conversation as nodes pass it on, e.g. to the gateways of its parties. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("source", source).put("destination", destination).put("agent", agent)
        .put("revealAgent", revealAgent).put("openedAt", openedAt);
  }

  public static Conversation fromJson(JsonObject json) {
    return new Conversation(json.getString("id"), json.getString("source"), json.getString("destination"),
        json.getString("agent"), json.getBoolean("revealAgent", false), json.getLong("openedAt", 0L));
  }

  public boolean isVirtual() {
    return !destination.equals(agent);
  }

  public boolean hasParty(String user) {
    return source.equals(user) || agent.equals(user);
  }

  /** The other party of {@code user}, who must be a party. */
  public String peerOf(String user) {
    return source.equals(user) ? agent : source;
  }

  /**
   * {@code user} as {@code viewer} sees it: the source sees the agent of a virtual user (and an earlier agent, in a
   * transcript) as the virtual user.
   */
  public String seenBy(String viewer, String user) {
    return viewer.equals(source) && !user.equals(source) && isVirtual() ? destination : user;
  }

  /** The message {@code sender} wrote, as its peer receives it, with the peer's notify level and the automatic mark. */
  public MessageEvent messageFrom(String sender, long seq, long ts, String body, String notify, boolean automatic) {
    return messageFrom(sender, seq, ts, body, notify, automatic, null);
  }

  /** As {@link #messageFrom(String, long, long, String, String, boolean)}, naming the peer's rule that decided. */
  public MessageEvent messageFrom(String sender, long seq, long ts, String body, String notify, boolean automatic,
                                  String rule) {
    String recipient = peerOf(sender);
    String agentField = isVirtual() && revealAgent && recipient.equals(source) ? sender : null;
    return new MessageEvent(id, seenBy(recipient, sender), agentField, seq, ts, body, notify, automatic, rule);
  }

  /**
   * Whether a transcript line ({@code sender} to {@code recipient}, {@code delivered} or not to the recipient) is sent
   * again to {@code user}, a party, on resume: the source gets what was delivered to it; the agent gets what was
   * delivered to the agent's side and what earlier agents sent, so a member a conversation was handed to gets it all.
   */
  public boolean resumedFor(String user, String sender, String recipient, boolean delivered) {
    if (user.equals(source)) {
      return recipient.equals(user) && delivered;
    }
    return !sender.equals(user) && (recipient.equals(source) || delivered);
  }

  /** A message that {@code sender}'s peer received, as the sender itself sees its own message in the transcript. */
  public MessageEvent asSentBy(MessageEvent received, String sender) {
    return new MessageEvent(id, sender, null, received.seq(), received.ts(), received.body(), received.notifyLevel(),
        received.auto());
  }
}
