package io.switchboard.store;

import io.switchboard.contract.MessageEvent;

/**
 * A message the store numbered and recorded: the recipient, the message as it receives it, whether the store
 * queued it in the recipient's mailbox because the recipient had no connection, and, for a held message, how
 * many messages the recipient now has on hold.
 */
public record MessageDelivery(String recipient, MessageEvent event, boolean queued, int held) {
}
