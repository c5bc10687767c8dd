package io.switchboard.rules;

import java.util.Objects;

/**
 * A message about to be delivered, as the recipient's rules see it.
 *
 * @param sender          the sender's user id (a virtual user's id when a member answers for it)
 * @param senderIsVirtual whether the sender is a virtual user
 * @param conversation    the conversation id
 * @param body            the text as sent
 * @param automatic       the message is itself an automatic reply; it never gets one back
 * @param at              when it is delivered, epoch milliseconds: time windows, activations and
 *                        {@code closingSentWithin} are read at this instant
 */
public record IncomingMessage(String sender, boolean senderIsVirtual, String conversation, String body,
                              boolean automatic, long at) {

  public IncomingMessage {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(body, "body");
  }
}
