package io.switchboard.store;

import java.util.Map;
import io.vertx.core.json.JsonObject;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.StatusRequest;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;

/**
 * Everything the nodes share: directory, presence, routing context and loads, conversations, mailboxes.
 * Every method is one atomic step of the store (one round trip for a remote store); failures carry a
 * {@link io.switchboard.contract.ErrorCode} through {@link io.switchboard.contract.SwitchboardException},
 * {@code store_unavailable} when the store cannot be reached.
 */
public interface SwitchboardStore {

  /** Most messages kept for a user who has no connection; older ones are dropped first. */
  int MAILBOX_LIMIT = 1000;
  /** Most messages held for a user by its rules; beyond that the oldest are dropped first. */
  int HELD_LIMIT = 100_000;
  /** Most messages kept per conversation for {@link #messagesAfter}; older ones are dropped first. */
  int TRANSCRIPT_LIMIT = 1000;
  /** Most history records kept per (source, destination); older ones are dropped first. */
  int HISTORY_LIMIT = 100;

  /** Succeeds when the store answers: the node's readiness. */
  Future<Void> ping();

  // --- directory

  /** Creates or replaces a user; fails with {@link InvalidDefinitionException} when the id is a virtual user's. */
  Future<Void> putUser(User user);

  /**
   * Creates or replaces a virtual user; fails with {@link InvalidDefinitionException} naming a member that is
   * not a user, or when the id is a user's.
   */
  Future<Void> putVirtualUser(VirtualUser virtualUser);

  /** The user, or null. */
  Future<User> user(String id);

  /** The virtual user, or null. */
  Future<VirtualUser> virtualUser(String id);

  /** The virtual users {@code member} belongs to. */
  Future<List<String>> virtualUsersOf(String member);

  /** The virtual user's aggregated status with its members' status, load and capacity, or null. */
  Future<VirtualUserStatus> virtualUserStatus(String id);

  // --- presence (SPEC.md §2); each returns the statuses that changed, the user's and its virtual users'

  Future<List<PresenceChange>> connect(SessionRef session);

  Future<List<PresenceChange>> disconnect(SessionRef session);

  Future<List<PresenceChange>> setStatus(StatusRequest request);

  /** The current status of each id, in order; fails {@code not_found} naming the ids that are nobody. */
  Future<List<PresenceChange>> presence(Collection<String> ids);

  // --- routing (SPEC.md §3)

  /**
   * Resolves the destination and, for an available virtual user, runs its policy chain, reserves one unit of
   * load on the selected member and records the decision, all in one atomic step.
   */
  Future<RouteOutcome> route(RouteRequest request);

  /**
   * Gives back the load {@link #route} reserved on a member of {@code destination} whose offer was declined or
   * timed out. Loads and capacities count per virtual user: every key one routing step touches belongs to it.
   */
  Future<Void> release(String destination, String member);

  /**
   * Opens an accepted conversation: stores it and, for a virtual destination, adds the history record and
   * marks the agent as just assigned (its load was reserved by {@link #route}).
   */
  Future<Void> open(Conversation conversation);

  /** The open conversation; fails {@code not_found} for an unknown id and {@code gone} for a closed one. */
  Future<Conversation> conversation(String id);

  /**
   * Closes a conversation on behalf of {@code user} and releases its agent's load. Fails {@code not_found},
   * {@code gone} (already closed) or {@code forbidden} (not a party).
   */
  Future<Conversation> close(String id, String user);

  /** The open conversations {@code user} is a party of. */
  Future<List<Conversation>> conversationsOf(String user);

  /**
   * Numbers a message of {@code sender} in a conversation, records it in the transcript marked with its handling,
   * and acts on the handling: a delivered message is queued in the recipient's mailbox when the recipient has no
   * connection; a held one joins the recipient's held messages. Fails like {@link #close}.
   */
  Future<MessageDelivery> append(String conversation, String sender, String body, long ts, Handling handling);

  /** Takes every queued message of a user, oldest first. */
  Future<List<MessageEvent>> drainMailbox(String user);

  /**
   * The messages {@code user} received in a conversation after {@code afterSeq}, oldest first, as it received
   * them (at most the newest {@link #TRANSCRIPT_LIMIT} of the conversation are kept). Fails like {@link #close}.
   */
  Future<List<MessageEvent>> messagesAfter(String conversation, String user, long afterSeq);

  /** Every message of a conversation as {@code user} sees it, oldest first, except those dropped for it. Fails like {@link #close}. */
  Future<List<TranscriptEntry>> transcript(String conversation, String user);

  // --- handling rules (SPEC.md §5)

  /** The user's rules document (validated by the caller), or null when it has none. */
  Future<JsonObject> rules(String user);

  /** Replaces the user's rules document; fails {@code not_found} for an unknown user. */
  Future<Void> putRules(String user, JsonObject document);

  /** Everything the user's rules read to judge a message in {@code conversation}, in one step. */
  Future<HandlingState> handlingState(String user, String conversation);

  /** Makes rules active until the given times (epoch ms), keeping the later end where one is already active. */
  Future<Void> activate(String user, Map<String, Long> activeUntil);

  /** Records that {@code user} sent a closing in {@code conversation} at {@code ts}. */
  Future<Void> closingSent(String user, String conversation, long ts);

  /** Takes every message held for {@code user}, oldest first, each with the notify level of its rule. */
  Future<List<MessageEvent>> releaseHeld(String user);

  // --- nodes (SPEC.md §6): every node holds a lease; a node whose lease ran out is dead

  /** Records that {@code node} lives until {@code expiresAt} (epoch ms). */
  Future<Void> renewLease(String node, long expiresAt);

  /** The nodes whose lease ran out before {@code now}. */
  Future<List<String>> expiredNodes(long now);

  /**
   * Claims a dead node and returns the sessions it held, once: a second call, from any node, returns none.
   * The caller disconnects each of them.
   */
  Future<List<SessionRef>> evictNode(String node);

  // --- context

  /**
   * Adds history records (e.g. imported from an older system). Records are kept per (source, destination), at
   * most {@link #HISTORY_LIMIT} of the newest, and for at least twice the longest sticky expiration in use.
   */
  Future<Void> addHistory(List<HistoryRecord> records);

  /** History between source and destination, newest first. */
  Future<List<HistoryRecord>> history(String source, String destination);

  /** The latest routing decisions for a virtual user, newest first. */
  Future<List<RouteDecision>> decisions(String destination, int limit);
}
