package io.switchboard.store;

import io.switchboard.contract.MessageEvent;

/**
 * A message the store numbered: the recipient, the message as it receives it, and whether the store queued it
 * in the recipient's mailbox because the recipient had no connection.
 */
public record MessageDelivery(String recipient, MessageEvent event, boolean queued) {
}
