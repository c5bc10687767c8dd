package io.switchboard.store;

import io.switchboard.contract.MessageEvent;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Handling;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;

/** Messages (docs/PROTOCOL.md, docs/RULES.md): numbering, transcripts, mailboxes of users without a connection, held messages. */
public interface MessageStore {

  /** Most messages kept for a user who has no connection by default ({@link MessageLimits}); a full mailbox refuses more. */
  int MAILBOX_LIMIT = 1000;
  /** Most messages held for a user by its rules by default ({@link MessageLimits}); a full list refuses more. */
  int HELD_LIMIT = 100_000;
  /** Most messages kept per conversation for {@link #messagesAfter}; older ones are dropped first. */
  int TRANSCRIPT_LIMIT = 1000;

  /**
   * Numbers a message of {@code sender} in {@code conversation} (as the caller knows it), records it in the
   * transcript marked with its handling, and acts on the handling: a delivered message is queued in the recipient's
   * mailbox when the recipient has no connection; a held one joins the recipient's held messages. When that list is
   * full the message is refused ({@link MessageDelivery#refused}) and counted: the embedded store and a standalone
   * Redis neither number nor record it; on Redis Cluster, where the recipient's side is a step of its own, it keeps
   * its number and is marked dropped for the recipient. Fails {@code not_found}, {@code gone} (closed) or
   * {@code forbidden} (not a party).
   */
  Future<MessageDelivery> append(Conversation conversation, String sender, String body, long ts, Handling handling);

  /**
   * Queues a message that reached {@code gateway} after the last session of {@code user} there was gone, unless the
   * user has a session on another gateway (which got the message too): so a message sent while a session was closing
   * waits in the mailbox like one sent just after. A full mailbox refuses it (counted for {@link #drainMailbox}).
   * Answers whether it was queued.
   */
  Future<Boolean> requeue(String user, MessageEvent event, String gateway);

  /**
   * Takes every queued message of a user, oldest first, and how many messages its full mailbox, and its full held
   * list while it had no connection, refused since the last drain.
   */
  Future<Mailbox> drainMailbox(String user);

  /**
   * The messages {@code user} received in a conversation after {@code afterSeq}, oldest first, as it received
   * them (at most the newest {@link #TRANSCRIPT_LIMIT} of the conversation are kept). Fails like {@link #append}.
   */
  Future<List<MessageEvent>> messagesAfter(String conversation, String user, long afterSeq);

  /**
   * At most {@code limit} messages of a conversation after {@code afterSeq} as {@code user} sees them, oldest first,
   * except those dropped for it. Fails like {@link #append}.
   */
  Future<TranscriptPage> transcript(String conversation, String user, long afterSeq, int limit);

  /**
   * The messages held for {@code user}, oldest first, each with the notify level and the id of the rule that held it
   * ({@link MessageEvent#rule()}), without taking them.
   */
  Future<List<MessageEvent>> heldMessages(String user);

  /**
   * Takes those of the messages held for {@code user} that are among {@code which} (by conversation and seq) in one
   * step, oldest first; the others stay held in their order. Marks the taken ones delivered in their transcripts
   * with their original {@code seq}: from then on {@link #messagesAfter} (and so {@code resume}) returns them like any
   * delivered message. When any is taken, the count of messages the full list refused starts again from 0. Answers
   * what was taken, which a concurrent release may have made fewer.
   */
  Future<List<MessageEvent>> releaseHeld(String user, Collection<MessageEvent> which);
}
