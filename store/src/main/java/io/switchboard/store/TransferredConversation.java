package io.switchboard.store;

import io.switchboard.conversation.Conversation;

import java.util.List;

/**
 * A conversation just handed to its new agent, with the gateways of its source and of the agent that handed it on,
 * where their {@code transferred} and {@code closed} events go.
 */
public record TransferredConversation(Conversation conversation, List<String> sourceGateways,
                                      List<String> fromGateways) {

  public TransferredConversation {
    sourceGateways = List.copyOf(sourceGateways);
    fromGateways = List.copyOf(fromGateways);
  }
}
