package io.switchboard.store;

import io.switchboard.contract.MessageEvent;

import java.util.List;

/**
 * What waited for a user while it had no connection: its queued messages, oldest first, how many messages its full
 * mailbox refused meanwhile, and how many its full held list refused meanwhile (0 when none).
 */
public record Mailbox(List<MessageEvent> messages, int refused, int refusedHeld) {

  public static final Mailbox EMPTY = new Mailbox(List.of(), 0, 0);

  public Mailbox {
    messages = List.copyOf(messages);
  }
}
