package io.switchboard.store;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.RouteDecision;
import io.vertx.core.Future;

import java.util.List;

/**
 * Conversations and what routing reads and writes (docs/POLICY.md, docs/PROTOCOL.md): the routing state of a destination, members'
 * loads (one count per member, across every virtual user it serves and its direct conversations), the open
 * conversations, the history between sources and virtual users, and the recorded routing decisions.
 */
public interface ConversationStore {

  /** Everything a routing decision about {@code destination} for {@code source} reads, in one step. */
  Future<RoutingState> routingState(String destination, String source, long now);

  /**
   * Counts an open of {@code source} to {@code destination} as pending from {@code now} until {@code until} (epoch
   * ms) or until {@link #endOpen}, unless the source already has {@code limit} pending opens to that destination:
   * answers whether it was counted. For an open already pending, it only moves its end to {@code until}.
   */
  Future<Boolean> startOpen(String source, String destination, String conversation, int limit, long now, long until);

  /** The open of {@code conversation} by {@code source} is no longer pending. */
  Future<Void> endOpen(String source, String conversation);

  /**
   * Reserves one unit of a member's capacity for a conversation it is about to be offered, checking and counting in
   * one atomic step, so that concurrent routers never push a member past its capacity.
   */
  Future<Reserved> reserve(Reservation reservation);

  /**
   * Gives back a reservation that did not become a conversation (the offer was declined, unanswered or abandoned);
   * nothing when the member no longer holds it.
   */
  Future<Void> cancel(Reservation reservation);

  /**
   * Gives back every reservation the router of {@code node} made that was neither opened nor released; answers the
   * members it gave capacity back to (one per reservation, sorted), who may take a waiting open now.
   */
  Future<List<String>> releaseReservationsOf(String node);

  /** Records a routing decision; {@code roundRobin} is the member the round-robin step chose (null if it did not). */
  Future<Void> recordDecision(RouteDecision decision, String roundRobin);

  /**
   * Opens an accepted conversation: stores it, turns the agent's reservation (made by the router of
   * {@code reservingNode}) into an open conversation and, for a virtual destination, adds the history record and
   * marks the agent as just assigned.
   */
  Future<Void> open(Conversation conversation, String reservingNode);

  /**
   * Puts back a conversation the store lost (restarted empty or flushed) as a party's node knew it: the conversation,
   * its parties' indexes and its agent's load; its {@code seq} counter goes on after {@code lastSeq}. Changes nothing
   * of a conversation the store still has, except moving its counter up to {@code lastSeq}.
   */
  Future<Void> restore(Conversation conversation, long lastSeq);

  /** The open conversation; fails {@code not_found} for an unknown id and {@code gone} for a closed one. */
  Future<Conversation> conversation(String id);

  /**
   * Closes a conversation on behalf of {@code user} and gives back its agent's load. {@code known} is the
   * conversation as the caller knows it (null when it does not), which saves reading it first. Fails
   * {@code not_found}, {@code gone} (already closed) or {@code forbidden} (not a party).
   */
  Future<ClosedConversation> close(String id, String user, Conversation known);

  /**
   * Hands an open conversation from its agent {@code from} to {@code moved.agent()}, who accepted it: the conversation
   * keeps its id, source and {@code seq} counter and takes the destination and revealAgent of {@code moved}; the new
   * agent's reservation (made by the router of {@code reservingNode}) becomes the open conversation and {@code from}'s
   * load is given back; for a virtual destination a history record names the new agent, marked as assigned at
   * {@code now}. Fails {@code not_found}, {@code gone} (closed, or no longer {@code from}'s).
   */
  Future<TransferredConversation> transfer(Conversation moved, String from, String reservingNode, long now);

  /** The open conversations {@code user} is a party of. */
  Future<List<Conversation>> conversationsOf(String user);

  /**
   * Adds history records (e.g. imported from an older system). Records are kept per (source, destination), at
   * most {@link #HISTORY_LIMIT} of the newest, and for at least twice the longest sticky expiration in use.
   */
  Future<Void> addHistory(List<HistoryRecord> records);

  /** History between source and destination, newest first. */
  Future<List<HistoryRecord>> history(String source, String destination);

  /** The latest routing decisions for a virtual user, newest first. */
  Future<List<RouteDecision>> decisions(String destination, int limit);

  /** Most history records kept per (source, destination); older ones are dropped first. */
  int HISTORY_LIMIT = 100;
}
