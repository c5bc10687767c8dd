package io.switchboard.store;

import io.switchboard.contract.MessageEvent;

/**
 * An open conversation between {@code source} and {@code agent}. For a virtual destination the agent is the
 * member who accepted it, and the source sees the virtual user as its partner; for a common user agent = destination.
 */
public record Conversation(String id, String source, String destination, String agent, boolean revealAgent, long openedAt) {

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

  /** {@code user} as {@code viewer} sees it: the source sees the agent of a virtual user as the virtual user. */
  public String seenBy(String viewer, String user) {
    return viewer.equals(source) && user.equals(agent) ? destination : user;
  }

  /** The message {@code sender} wrote, as its peer receives it, with the peer's notify level and the automatic mark. */
  public MessageEvent messageFrom(String sender, long seq, long ts, String body, String notify, boolean automatic) {
    String recipient = peerOf(sender);
    String agentField = isVirtual() && revealAgent && recipient.equals(source) ? agent : null;
    return new MessageEvent(id, seenBy(recipient, sender), agentField, seq, ts, body, notify, automatic);
  }

  /** A message that {@code sender}'s peer received, as the sender itself sees its own message in the transcript. */
  public MessageEvent asSentBy(MessageEvent received, String sender) {
    return new MessageEvent(id, sender, null, received.seq(), received.ts(), received.body(), received.notifyLevel(),
        received.auto());
  }
}
