package io.switchboard.store;

import io.vertx.core.json.JsonObject;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.PolicyStep;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.routing.Candidate;
import io.switchboard.routing.PolicyChain;
import io.switchboard.routing.RoutingContext;
import io.switchboard.routing.Selection;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The embedded default store: all shared state in this process. Verticles on several event loops call it, so
 * every operation runs under this object's lock; each is a few map operations, never I/O, so the lock is held
 * for microseconds and no event loop waits on anything slow.
 */
public final class InMemoryStore implements SwitchboardStore {

  private static final String ROUND_ROBIN = new PolicyStep.RoundRobin().type();
  /** History is kept at least this long, whatever the policies' expirations. */
  private static final Duration HISTORY_MIN_RETENTION = Duration.ofDays(30);
  /** How many closed conversation ids are remembered, so that late requests get {@code gone} rather than {@code not_found}. */
  private static final int CLOSED_REMEMBERED = 100_000;

  private final int decisionsKept;

  private final Map<String, User> users = new HashMap<>();
  private final Map<String, VirtualUser> virtualUsers = new HashMap<>();
  private final Map<String, Set<String>> virtualUsersOfMember = new HashMap<>();

  private final Map<String, Set<String>> sessions = new HashMap<>();
  private final Map<String, Status> statuses = new HashMap<>();
  private final Map<String, String> activities = new HashMap<>();

  /** Open (or offered) conversations and last assignment time, by {@link #memberKey}. */
  private final Map<String, Integer> loads = new HashMap<>();
  private final Map<String, Long> lastAssigned = new HashMap<>();
  private final Map<String, List<HistoryRecord>> history = new HashMap<>();
  private final Map<String, String> lastRoundRobin = new HashMap<>();
  /** The longest sticky expiration of any policy stored: history is kept for at least twice as long. */
  private Duration longestExpiration = Duration.ZERO;
  private final Map<String, Deque<RouteDecision>> decisions = new HashMap<>();

  private final Map<String, Conversation> conversations = new HashMap<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private final Map<String, Set<String>> conversationsOfUser = new HashMap<>();
  private final Set<String> closed = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CLOSED_REMEMBERED;
    }
  });
  private final Map<String, Deque<MessageEvent>> mailboxes = new HashMap<>();
  /** A transcript line: who received the message and how it was handled for them. */
  private record Line(String recipient, MessageEvent event, Handling.Disposition handling) {
  }

  private final Map<String, Deque<Line>> transcripts = new HashMap<>();
  private final Map<String, JsonObject> rules = new HashMap<>();
  private final Map<String, Map<String, Long>> activations = new HashMap<>();
  private final Map<String, Long> closingsSent = new HashMap<>();
  private final Map<String, Deque<MessageEvent>> held = new HashMap<>();
  private final Map<String, Long> leases = new HashMap<>();
  private final Map<String, Set<SessionRef>> sessionsOfNode = new HashMap<>();

  public InMemoryStore(int decisionsKept) {
    this.decisionsKept = decisionsKept;
  }

  private synchronized <T> Future<T> atomically(Callable<T> operation) {
    try {
      return Future.succeededFuture(operation.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  // --- directory

  @Override
  public Future<Void> putUser(User user) {
    return atomically(() -> {
      if (virtualUsers.containsKey(user.id())) {
        throw new InvalidDefinitionException("id " + user.id() + " belongs to a virtual user");
      }
      users.put(user.id(), user);
      return null;
    });
  }

  @Override
  public Future<Void> putVirtualUser(VirtualUser virtualUser) {
    return atomically(() -> {
      if (users.containsKey(virtualUser.id())) {
        throw new InvalidDefinitionException("id " + virtualUser.id() + " belongs to a user");
      }
      for (String member : virtualUser.members()) {
        if (!users.containsKey(member)) {
          throw new InvalidDefinitionException("member " + member + " is not a user");
        }
      }
      VirtualUser previous = virtualUsers.put(virtualUser.id(), virtualUser);
      virtualUser.policy().chain().stream()
          .filter(step -> step instanceof PolicyStep.Sticky)
          .map(step -> ((PolicyStep.Sticky) step).expiration())
          .filter(expiration -> expiration.compareTo(longestExpiration) > 0)
          .forEach(expiration -> longestExpiration = expiration);
      if (previous != null) {
        previous.members().forEach(member -> virtualUsersOfMember.get(member).remove(previous.id()));
      }
      virtualUser.members().forEach(member ->
          virtualUsersOfMember.computeIfAbsent(member, k -> new HashSet<>()).add(virtualUser.id()));
      return null;
    });
  }

  @Override
  public Future<User> user(String id) {
    return atomically(() -> users.get(id));
  }

  @Override
  public Future<VirtualUser> virtualUser(String id) {
    return atomically(() -> virtualUsers.get(id));
  }

  @Override
  public Future<List<String>> virtualUsersOf(String member) {
    return atomically(() -> virtualUsersOfMember.getOrDefault(member, Set.of()).stream().sorted().toList());
  }

  @Override
  public Future<VirtualUserStatus> virtualUserStatus(String id) {
    return atomically(() -> {
      VirtualUser virtualUser = virtualUsers.get(id);
      if (virtualUser == null) {
        return null;
      }
      List<VirtualUserStatus.Member> members = virtualUser.members().stream()
          .map(member -> new VirtualUserStatus.Member(member, statusOf(member), loads.getOrDefault(memberKey(id, member), 0),
              users.get(member).maxConversations()))
          .toList();
      return new VirtualUserStatus(id, aggregate(virtualUser), members);
    });
  }

  // --- presence

  @Override
  public Future<List<PresenceChange>> connect(SessionRef session) {
    return atomically(() -> {
      Set<String> userSessions = sessions.computeIfAbsent(session.user(), k -> new HashSet<>());
      userSessions.add(session.session());
      sessionsOfNode.computeIfAbsent(session.node(), k -> new HashSet<>()).add(session);
      return userSessions.size() == 1 ? changeStatus(session.user(), Status.ONLINE) : List.of();
    });
  }

  @Override
  public Future<List<PresenceChange>> disconnect(SessionRef session) {
    return atomically(() -> {
      Set<SessionRef> ofNode = sessionsOfNode.get(session.node());
      if (ofNode != null && ofNode.remove(session) && ofNode.isEmpty()) {
        sessionsOfNode.remove(session.node());
      }
      Set<String> userSessions = sessions.get(session.user());
      if (userSessions == null || !userSessions.remove(session.session()) || !userSessions.isEmpty()) {
        return List.of();
      }
      sessions.remove(session.user());
      activities.remove(session.user());
      return changeStatus(session.user(), Status.OFFLINE);
    });
  }

  @Override
  public Future<List<PresenceChange>> setStatus(StatusRequest request) {
    return atomically(() -> {
      if (!sessions.containsKey(request.user())) {
        return List.of();
      }
      if (request.activity() == null) {
        activities.remove(request.user());
      } else {
        activities.put(request.user(), request.activity());
      }
      return changeStatus(request.user(), request.status());
    });
  }

  /** Sets a user's status and returns the changes it causes: its own and its virtual users' aggregates. */
  private List<PresenceChange> changeStatus(String user, Status status) {
    Set<String> affected = virtualUsersOfMember.getOrDefault(user, Set.of());
    Map<String, Status> before = new HashMap<>();
    affected.forEach(id -> before.put(id, aggregate(virtualUsers.get(id))));
    Status previous = statuses.getOrDefault(user, Status.OFFLINE);
    if (status == Status.OFFLINE) {
      statuses.remove(user);
    } else {
      statuses.put(user, status);
    }
    List<PresenceChange> changes = new ArrayList<>();
    if (previous != status) {
      changes.add(new PresenceChange(user, status.wire(), false));
    }
    for (String id : affected) {
      Status after = aggregate(virtualUsers.get(id));
      if (after != before.get(id)) {
        changes.add(new PresenceChange(id, after.wire(), true));
      }
    }
    return changes;
  }

  private Status statusOf(String user) {
    return statuses.getOrDefault(user, Status.OFFLINE);
  }

  private Status aggregate(VirtualUser virtualUser) {
    return Status.aggregate(virtualUser.members().stream().map(this::statusOf).toList());
  }

  @Override
  public Future<List<PresenceChange>> presence(Collection<String> ids) {
    return atomically(() -> {
      List<String> unknown = ids.stream().filter(id -> !users.containsKey(id) && !virtualUsers.containsKey(id)).toList();
      if (!unknown.isEmpty()) {
        throw new SwitchboardException(ErrorCode.NOT_FOUND, "no such user: " + String.join(", ", unknown));
      }
      return ids.stream().map(id -> virtualUsers.containsKey(id)
          ? new PresenceChange(id, aggregate(virtualUsers.get(id)).wire(), true)
          : new PresenceChange(id, statusOf(id).wire(), false)).toList();
    });
  }

  // --- routing

  @Override
  public Future<RouteOutcome> route(RouteRequest request) {
    return atomically(() -> {
      VirtualUser virtualUser = virtualUsers.get(request.destination());
      if (virtualUser == null) {
        return users.containsKey(request.destination())
            ? new RouteOutcome(RouteOutcome.Kind.COMMON_USER, null, null, statusOf(request.destination()))
            : RouteOutcome.notFound();
      }
      Status status = aggregate(virtualUser);
      if (!virtualUser.policy().isAvailable(status)) {
        return new RouteOutcome(RouteOutcome.Kind.UNAVAILABLE, virtualUser.policy(), null, status);
      }
      String destination = virtualUser.id();
      List<Candidate> members = virtualUser.members().stream()
          .map(id -> new Candidate(users.get(id), statusOf(id), loads.getOrDefault(memberKey(destination, id), 0),
              lastAssigned.getOrDefault(memberKey(destination, id), 0L)))
          .toList();
      RoutingContext context = new RoutingContext(request.source(), request.geo(), request.attributes(),
          historyOf(request.source(), request.destination(), request.now()),
          members, request.excluded(), lastRoundRobin.get(virtualUser.id()), request.now());
      Selection selection = PolicyChain.select(virtualUser.policy(), context);
      if (selection.selected() != null) {
        loads.merge(memberKey(destination, selection.selected()), 1, Integer::sum);
        if (ROUND_ROBIN.equals(selection.step())) {
          lastRoundRobin.put(virtualUser.id(), selection.selected());
        }
      }
      RouteDecision decision = new RouteDecision(request.now(), request.conversation(), request.source(),
          request.destination(), selection.selected(), selection.step(), selection.trace());
      push(decisions.computeIfAbsent(request.destination(), k -> new ArrayDeque<>()), decision, decisionsKept);
      return new RouteOutcome(RouteOutcome.Kind.ROUTED, virtualUser.policy(), decision, status);
    });
  }

  private static String historyKey(String source, String destination) {
    return source + '\n' + destination;
  }

  private static String memberKey(String destination, String member) {
    return destination + '\n' + member;
  }

  private void releaseLoad(String destination, String member) {
    loads.computeIfPresent(memberKey(destination, member), (k, load) -> load > 1 ? load - 1 : null);
  }

  /** The records between source and destination younger than the retention (older ones are dropped), newest first. */
  private List<HistoryRecord> historyOf(String source, String destination, long now) {
    List<HistoryRecord> records = history.get(historyKey(source, destination));
    if (records == null) {
      return List.of();
    }
    long oldest = now - historyRetention().toMillis();
    records.removeIf(record -> record.ts() <= oldest);
    return List.copyOf(records);
  }

  private Duration historyRetention() {
    return longestExpiration.multipliedBy(2).compareTo(HISTORY_MIN_RETENTION) > 0
        ? longestExpiration.multipliedBy(2) : HISTORY_MIN_RETENTION;
  }

  /** Inserts a record in ts order (newest first), keeping the newest {@link #HISTORY_LIMIT}. */
  private void record(HistoryRecord record) {
    List<HistoryRecord> records = history.computeIfAbsent(historyKey(record.source(), record.destination()),
        k -> new ArrayList<>());
    int at = 0;
    while (at < records.size() && records.get(at).ts() > record.ts()) {
      at++;
    }
    records.add(at, record);
    if (records.size() > HISTORY_LIMIT) {
      records.remove(records.size() - 1);
    }
  }

  /** Adds at the head (newest first), dropping the oldest beyond {@code limit}. */
  private static <T> void push(Deque<T> deque, T item, int limit) {
    deque.addFirst(item);
    while (deque.size() > limit) {
      deque.removeLast();
    }
  }

  @Override
  public Future<Void> release(String destination, String member) {
    return atomically(() -> {
      releaseLoad(destination, member);
      return null;
    });
  }

  @Override
  public Future<Void> open(Conversation conversation) {
    return atomically(() -> {
      conversations.put(conversation.id(), conversation);
      conversationsOfUser.computeIfAbsent(conversation.source(), k -> new HashSet<>()).add(conversation.id());
      conversationsOfUser.computeIfAbsent(conversation.agent(), k -> new HashSet<>()).add(conversation.id());
      if (conversation.isVirtual()) {
        lastAssigned.put(memberKey(conversation.destination(), conversation.agent()), conversation.openedAt());
        record(new HistoryRecord(conversation.openedAt(), conversation.source(), conversation.destination(),
            List.of(conversation.agent())));
      }
      return null;
    });
  }

  private Conversation existing(String id) {
    Conversation conversation = conversations.get(id);
    if (conversation == null) {
      throw closed.contains(id)
          ? new SwitchboardException(ErrorCode.GONE, "conversation " + id + " is closed")
          : new SwitchboardException(ErrorCode.NOT_FOUND, "no conversation " + id);
    }
    return conversation;
  }

  private Conversation partyOf(String id, String user) {
    Conversation conversation = existing(id);
    if (!conversation.hasParty(user)) {
      throw new SwitchboardException(ErrorCode.FORBIDDEN, "conversation " + id + " is not yours");
    }
    return conversation;
  }

  @Override
  public Future<Conversation> conversation(String id) {
    return atomically(() -> existing(id));
  }

  @Override
  public Future<Conversation> close(String id, String user) {
    return atomically(() -> {
      Conversation conversation = partyOf(id, user);
      conversations.remove(id);
      sequences.remove(id);
      transcripts.remove(id);
      closingsSent.remove(conversation.source() + '\n' + id);
      closingsSent.remove(conversation.agent() + '\n' + id);
      closed.add(id);
      for (String party : List.of(conversation.source(), conversation.agent())) {
        Set<String> ids = conversationsOfUser.get(party);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
          conversationsOfUser.remove(party);
        }
      }
      if (conversation.isVirtual()) {
        releaseLoad(conversation.destination(), conversation.agent());
      }
      return conversation;
    });
  }

  @Override
  public Future<List<Conversation>> conversationsOf(String user) {
    return atomically(() -> conversationsOfUser.getOrDefault(user, Set.of()).stream().map(conversations::get).toList());
  }

  @Override
  public Future<MessageDelivery> append(String conversation, String sender, String body, long ts, Handling handling) {
    return atomically(() -> {
      Conversation open = partyOf(conversation, sender);
      long seq = sequences.merge(conversation, 1L, Long::sum);
      MessageEvent event = open.messageFrom(sender, seq, ts, body, handling.notifyLevel(), handling.automatic());
      String recipient = open.peerOf(sender);
      boolean queued = handling.disposition() == Handling.Disposition.DELIVERED && !sessions.containsKey(recipient);
      if (queued) {
        append(mailboxes.computeIfAbsent(recipient, k -> new ArrayDeque<>()), event, MAILBOX_LIMIT);
      }
      int heldCount = 0;
      if (handling.disposition() == Handling.Disposition.HELD) {
        Deque<MessageEvent> userHeld = held.computeIfAbsent(recipient, k -> new ArrayDeque<>());
        append(userHeld, event, HELD_LIMIT);
        heldCount = userHeld.size();
      }
      append(transcripts.computeIfAbsent(conversation, k -> new ArrayDeque<>()),
          new Line(recipient, event, handling.disposition()), TRANSCRIPT_LIMIT);
      return new MessageDelivery(recipient, event, queued, heldCount);
    });
  }

  /** Adds at the tail (oldest first), dropping the oldest beyond {@code limit}. */
  private static <T> void append(Deque<T> deque, T item, int limit) {
    deque.addLast(item);
    if (deque.size() > limit) {
      deque.removeFirst();
    }
  }

  @Override
  public Future<List<MessageEvent>> drainMailbox(String user) {
    return atomically(() -> {
      Deque<MessageEvent> mailbox = mailboxes.remove(user);
      return mailbox == null ? List.of() : List.copyOf(mailbox);
    });
  }

  @Override
  public Future<List<MessageEvent>> messagesAfter(String conversation, String user, long afterSeq) {
    return atomically(() -> {
      partyOf(conversation, user);
      return transcripts.getOrDefault(conversation, new ArrayDeque<>()).stream()
          .filter(line -> line.recipient().equals(user) && line.event().seq() > afterSeq
              && line.handling() == Handling.Disposition.DELIVERED)
          .map(Line::event)
          .toList();
    });
  }

  @Override
  public Future<List<TranscriptEntry>> transcript(String conversation, String user) {
    return atomically(() -> {
      partyOf(conversation, user);
      return transcripts.getOrDefault(conversation, new ArrayDeque<>()).stream()
          .filter(line -> !(line.recipient().equals(user) && line.handling() == Handling.Disposition.DROPPED))
          .map(line -> new TranscriptEntry(line.recipient().equals(user) ? line.event()
              : conversations.get(conversation).asSentBy(line.event(), user), line.handling()))
          .toList();
    });
  }

  // --- handling rules

  @Override
  public Future<JsonObject> rules(String user) {
    return atomically(() -> rules.get(user));
  }

  @Override
  public Future<Void> putRules(String user, JsonObject document) {
    return atomically(() -> {
      if (!users.containsKey(user)) {
        throw new SwitchboardException(ErrorCode.NOT_FOUND, "no user " + user);
      }
      rules.put(user, document.copy());
      activations.remove(user);
      return null;
    });
  }

  @Override
  public Future<HandlingState> handlingState(String user, String conversation) {
    return atomically(() -> new HandlingState(rules.get(user), statusOf(user), activities.get(user),
        activations.getOrDefault(user, Map.of()), closingsSent.get(user + '\n' + conversation)));
  }

  @Override
  public Future<Void> activate(String user, Map<String, Long> activeUntil) {
    return atomically(() -> {
      Map<String, Long> active = activations.computeIfAbsent(user, k -> new HashMap<>());
      activeUntil.forEach((rule, until) -> active.merge(rule, until, Math::max));
      return null;
    });
  }

  @Override
  public Future<Void> closingSent(String user, String conversation, long ts) {
    return atomically(() -> {
      closingsSent.merge(user + '\n' + conversation, ts, Math::max);
      return null;
    });
  }

  @Override
  public Future<List<MessageEvent>> releaseHeld(String user) {
    return atomically(() -> {
      Deque<MessageEvent> userHeld = held.remove(user);
      return userHeld == null ? List.of() : List.copyOf(userHeld);
    });
  }

  // --- nodes

  @Override
  public Future<Void> renewLease(String node, long expiresAt) {
    return atomically(() -> {
      leases.put(node, expiresAt);
      return null;
    });
  }

  @Override
  public Future<List<String>> expiredNodes(long now) {
    return atomically(() -> leases.entrySet().stream().filter(lease -> lease.getValue() < now)
        .map(Map.Entry::getKey).sorted().toList());
  }

  @Override
  public Future<List<SessionRef>> evictNode(String node) {
    return atomically(() -> {
      if (leases.remove(node) == null) {
        return List.of();
      }
      Set<SessionRef> held = sessionsOfNode.get(node);
      return held == null ? List.of() : List.copyOf(held);
    });
  }

  // --- context

  @Override
  public Future<Void> addHistory(List<HistoryRecord> records) {
    return atomically(() -> {
      records.forEach(this::record);
      return null;
    });
  }

  @Override
  public Future<List<HistoryRecord>> history(String source, String destination) {
    return atomically(() -> List.copyOf(history.getOrDefault(historyKey(source, destination), List.of())));
  }

  @Override
  public Future<List<RouteDecision>> decisions(String destination, int limit) {
    return atomically(() -> decisions.getOrDefault(destination, new ArrayDeque<>()).stream().limit(limit).toList());
  }
}
