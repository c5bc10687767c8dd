package io.switchboard.store.memory;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Handling;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * All the state of the embedded store, shared by its slices. Verticles on several event loops call it, so every
 * operation runs under this object's lock; each is a few map operations, never I/O, so the lock is held for
 * microseconds and no event loop waits on anything slow.
 */
final class InMemoryData {

  /** How many closed conversation ids are remembered, so that late requests get {@code gone} rather than {@code not_found}. */
  private static final int CLOSED_REMEMBERED = 100_000;

  final int decisionsKept;

  // directory
  final Map<String, User> users = new HashMap<>();
  final Map<String, VirtualUser> virtualUsers = new HashMap<>();
  final Map<String, Set<String>> virtualUsersOfMember = new HashMap<>();
  /** Per virtual user: how long its history is kept (the longest its policies ever asked for), ms. */
  final Map<String, Long> historyRetention = new HashMap<>();

  // presence
  /** user → session → gateway. */
  final Map<String, Map<String, String>> sessions = new HashMap<>();
  final Map<String, Status> statuses = new HashMap<>();
  final Map<String, String> activities = new HashMap<>();
  final Map<String, Long> leases = new HashMap<>();
  /** Nodes whose sessions an evictor is disconnecting, until when at the latest (wall clock). */
  final Map<String, Long> evictions = new HashMap<>();
  final Map<String, Set<SessionRef>> sessionsOfNode = new HashMap<>();

  // conversations and routing
  /** member → conversation → what it holds: a reservation by a node's router, or an open conversation. */
  final Map<String, Map<String, Holding>> holdings = new HashMap<>();
  /** node → (member, conversation) reservations its router made. */
  final Map<String, Set<List<String>>> reservationsOfNode = new HashMap<>();
  /** member → {second, offers made in it}. */
  final Map<String, long[]> offerWindows = new HashMap<>();
  /** source → conversation → its pending open. */
  final Map<String, Map<String, PendingOpen>> pendingOpens = new HashMap<>();
  /** By {@link #pairKey}(virtual user, member). */
  final Map<String, Long> lastAssigned = new HashMap<>();
  /** By {@link #pairKey}(source, destination), newest first. */
  final Map<String, List<HistoryRecord>> history = new HashMap<>();
  final Map<String, String> lastRoundRobin = new HashMap<>();
  final Map<String, Deque<RouteDecision>> decisions = new HashMap<>();
  final Map<String, Conversation> conversations = new HashMap<>();
  final Map<String, Set<String>> conversationsOfUser = new HashMap<>();
  final Set<String> closed = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CLOSED_REMEMBERED;
    }
  });

  // messages
  final Map<String, Long> sequences = new HashMap<>();
  final Map<String, Deque<Line>> transcripts = new HashMap<>();
  final Map<String, Deque<MessageEvent>> mailboxes = new HashMap<>();
  final Map<String, Deque<MessageEvent>> held = new HashMap<>();
  /** user → messages its full mailbox refused since it was last drained. */
  final Map<String, Integer> refusedMailbox = new HashMap<>();
  /** user → messages its full held list refused since it was last released. */
  final Map<String, Integer> refusedHeld = new HashMap<>();
  /** user → held messages refused while it had no connection (so it saw no notice), since it was last drained. */
  final Map<String, Integer> refusedHeldUnseen = new HashMap<>();

  // rules
  final Map<String, JsonObject> rules = new HashMap<>();
  final Map<String, Deque<JsonObject>> feedback = new HashMap<>();
  final Map<String, Deque<JsonObject>> observations = new HashMap<>();
  final Map<String, Deque<String>> dismissed = new HashMap<>();
  /** The server's default rules; null for the shipped ones. */
  JsonObject defaultRules;
  final Map<String, Map<String, Long>> activations = new HashMap<>();
  /** By {@link #pairKey}(user, conversation). */
  final Map<String, Long> closingsSent = new HashMap<>();

  /** What a member holds for one conversation: {@code node}'s reservation, or (node null) the open conversation. */
  record Holding(String node) {
    static final Holding OPEN = new Holding(null);
  }

  record PendingOpen(String destination, long until) {
  }

  /** A transcript line: who sent and who received the message, and how it was handled for the recipient. */
  record Line(String sender, String recipient, MessageEvent event, Handling.Disposition handling) {
  }

  InMemoryData(int decisionsKept) {
    this.decisionsKept = decisionsKept;
  }

  synchronized <T> Future<T> atomically(Callable<T> operation) {
    try {
      return Future.succeededFuture(operation.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  static String pairKey(String a, String b) {
    return a + '\n' + b;
  }

  Status statusOf(String user) {
    return statuses.getOrDefault(user, Status.OFFLINE);
  }

  Status aggregate(VirtualUser virtualUser) {
    return Status.aggregate(virtualUser.members().stream().map(this::statusOf).toList());
  }

  int loadOf(String member) {
    return holdings.getOrDefault(member, Map.of()).size();
  }

  List<String> gatewaysOf(String user) {
    Collection<String> gateways = sessions.getOrDefault(user, Map.of()).values();
    // most users have one session: no stream to sort
    return gateways.size() <= 1 ? List.copyOf(gateways) : gateways.stream().distinct().sorted().toList();
  }

  /** Sets a user's status and returns the changes it causes: its own and its virtual users' aggregates. */
  List<PresenceChange> changeStatus(String user, Status status) {
    Set<String> affected = virtualUsersOfMember.getOrDefault(user, Set.of());
    Map<String, Status> before = new HashMap<>();
    affected.forEach(id -> before.put(id, aggregate(virtualUsers.get(id))));
    Status previous = statusOf(user);
    if (status == Status.OFFLINE) {
      statuses.remove(user);
    } else {
      statuses.put(user, status);
    }
    List<PresenceChange> changes = new ArrayList<>();
    if (previous != status) {
      changes.add(new PresenceChange(user, status.wire(), false));
    }
    for (String id : affected.stream().sorted().toList()) {
      Status after = aggregate(virtualUsers.get(id));
      if (after != before.get(id)) {
        changes.add(new PresenceChange(id, after.wire(), true));
      }
    }
    return changes;
  }

  /** Gives back what a member holds for a conversation, if anything. */
  void release(String member, String conversation) {
    Map<String, Holding> held = holdings.get(member);
    if (held == null) {
      return;
    }
    Holding holding = held.remove(conversation);
    if (held.isEmpty()) {
      holdings.remove(member);
    }
    if (holding != null && holding.node() != null) {
      forgetReservation(holding.node(), member, conversation);
    }
  }

  void forgetReservation(String node, String member, String conversation) {
    Set<List<String>> ofNode = reservationsOfNode.get(node);
    if (ofNode != null && ofNode.remove(List.of(member, conversation)) && ofNode.isEmpty()) {
      reservationsOfNode.remove(node);
    }
  }

  Conversation existing(String id) {
    Conversation conversation = conversations.get(id);
    if (conversation == null) {
      throw closed.contains(id)
          ? new SwitchboardException(ErrorCode.GONE, "conversation " + id + " is closed")
          : new SwitchboardException(ErrorCode.NOT_FOUND, "no conversation " + id);
    }
    return conversation;
  }

  Conversation partyOf(String id, String user) {
    Conversation conversation = existing(id);
    if (!conversation.hasParty(user)) {
      throw new SwitchboardException(ErrorCode.FORBIDDEN, "conversation " + id + " is not yours");
    }
    return conversation;
  }

  /** Adds at the tail (oldest first), dropping the oldest beyond {@code limit}. */
  static <T> void append(Deque<T> deque, T item, int limit) {
    deque.addLast(item);
    if (deque.size() > limit) {
      deque.removeFirst();
    }
  }

  static <T> Deque<T> deque() {
    return new ArrayDeque<>();
  }

  static <K, V> Set<V> setIn(Map<K, Set<V>> map, K key) {
    return map.computeIfAbsent(key, k -> new HashSet<>());
  }
}
