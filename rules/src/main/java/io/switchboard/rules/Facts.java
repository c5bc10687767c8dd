package io.switchboard.rules;

import java.time.ZoneId;

/** Everything a condition reads while one message is decided; {@code text} is the message's body. */
record Facts(IncomingMessage message, MessageText text, RecipientState recipient, ZoneId zone) {
}
