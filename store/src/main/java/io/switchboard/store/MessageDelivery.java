package io.switchboard.store;

import io.switchboard.contract.MessageEvent;

import java.util.List;

/**
 * A message the store numbered and recorded: the recipient, the message as it receives it, the gateways holding
 * the recipient's sessions (none when it has no connection: then a delivered message was queued in its mailbox),
 * and, for a held message, how many messages the recipient now has on hold. {@code refused} is 0, unless the list
 * the message was for (the recipient's mailbox or held messages) was full: then the message went nowhere, and
 * {@code refused} counts the messages that list refused since it was last emptied, this one included.
 */
public record MessageDelivery(String recipient, MessageEvent event, List<String> gateways, boolean queued, int held,
                              int refused) {

  public MessageDelivery {
    gateways = List.copyOf(gateways);
  }

  public boolean wasRefused() {
    return refused > 0;
  }
}
