package io.switchboard.store;

/**
 * How many messages wait for one user at most: in its mailbox (while it has no connection) and on hold by its
 * rules. A full list refuses further messages (docs/PROTOCOL.md §Bounds of waiting messages): nothing already
 * waiting is dropped.
 */
public record MessageLimits(int mailbox, int held) {

  public static final MessageLimits DEFAULT = new MessageLimits(MessageStore.MAILBOX_LIMIT, MessageStore.HELD_LIMIT);

  public MessageLimits {
    if (mailbox < 1 || held < 1) {
      throw new IllegalArgumentException("message limits must be at least 1, not mailbox " + mailbox + ", held " + held);
    }
  }
}
