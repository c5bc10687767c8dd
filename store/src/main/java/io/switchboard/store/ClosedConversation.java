package io.switchboard.store;

import io.switchboard.conversation.Conversation;

import java.util.List;

/** A conversation just closed, with the gateways of each party, where its {@code closed} events go. */
public record ClosedConversation(Conversation conversation, List<String> sourceGateways, List<String> agentGateways) {

  public ClosedConversation {
    sourceGateways = List.copyOf(sourceGateways);
    agentGateways = List.copyOf(agentGateways);
  }
}
