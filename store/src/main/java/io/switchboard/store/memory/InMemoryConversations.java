package io.switchboard.store.memory;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.ClosedConversation;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.MemberState;
import io.switchboard.store.Reservation;
import io.switchboard.store.Reserved;
import io.switchboard.store.RoutingState;
import io.switchboard.store.TransferredConversation;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The embedded store's conversations, loads, history and decisions. */
final class InMemoryConversations implements ConversationStore {

  private final InMemoryData data;
  private final InMemoryQueues queues;

  InMemoryConversations(InMemoryData data, InMemoryQueues queues) {
    this.data = data;
    this.queues = queues;
  }

  @Override
  public Future<RoutingState> routingState(String destination, String source, long now) {
    return data.atomically(() -> {
      VirtualUser virtualUser = data.virtualUsers.get(destination);
      if (virtualUser == null) {
        return data.users.containsKey(destination) ? RoutingState.COMMON_USER : RoutingState.NOT_FOUND;
      }
      List<MemberState> members = virtualUser.members().stream()
          .map(id -> new MemberState(data.users.get(id), data.statusOf(id), data.loadOf(id),
              data.lastAssigned.getOrDefault(InMemoryData.pairKey(destination, id), 0L)))
          .toList();
      return new RoutingState(RoutingState.Kind.VIRTUAL_USER, virtualUser, data.aggregate(virtualUser), members,
          historyOf(source, destination, now, virtualUser.policy().historyNeeded()), data.lastRoundRobin.get(destination),
          queues.waitingFor(destination));
    });
  }

  /**
   * The newest {@code needed} records between source and destination younger than the retention (older ones are
   * dropped), newest first.
   */
  private List<HistoryRecord> historyOf(String source, String destination, long now, int needed) {
    List<HistoryRecord> records = data.history.get(InMemoryData.pairKey(source, destination));
    if (records == null) {
      return List.of();
    }
    long oldest = now - data.historyRetention.getOrDefault(destination, VirtualUser.MIN_HISTORY_RETENTION.toMillis());
    records.removeIf(record -> record.ts() <= oldest);
    return List.copyOf(records.subList(0, Math.min(needed, records.size())));
  }

  @Override
  public Future<Boolean> startOpen(String source, String destination, String conversation, int limit, long now,
                                   long until) {
    return data.atomically(() -> {
      Map<String, InMemoryData.PendingOpen> pending = data.pendingOpens.computeIfAbsent(source, k -> new HashMap<>());
      pending.values().removeIf(open -> open.until() <= now);
      if (pending.containsKey(conversation)) {
        pending.put(conversation, new InMemoryData.PendingOpen(destination, until));
        return true;
      }
      long toDestination = pending.values().stream().filter(open -> open.destination().equals(destination)).count();
      if (toDestination >= limit) {
        return false;
      }
      pending.put(conversation, new InMemoryData.PendingOpen(destination, until));
      return true;
    });
  }

  @Override
  public Future<Void> endOpen(String source, String conversation) {
    return data.atomically(() -> {
      Map<String, InMemoryData.PendingOpen> pending = data.pendingOpens.get(source);
      if (pending != null && pending.remove(conversation) != null && pending.isEmpty()) {
        data.pendingOpens.remove(source);
      }
      return null;
    });
  }

  @Override
  public Future<Reserved> reserve(Reservation reservation) {
    return data.atomically(() -> {
      String member = reservation.member();
      User user = data.users.get(member);
      if (user == null) {
        return Reserved.refused(member + " is not a user");
      }
      Status status = data.statusOf(member);
      if (!reservation.available().contains(status)) {
        return Reserved.refused(member + " is " + status.wire());
      }
      Map<String, InMemoryData.Holding> held = data.holdings.getOrDefault(member, Map.of());
      if (held.containsKey(reservation.conversation())) {
        return Reserved.refused(member + " was already offered this conversation");
      }
      if (!user.hasRoomFor(held.size())) {
        return Reserved.refused(member + " is at capacity (" + held.size() + " of " + user.maxConversations() + ")");
      }
      long second = reservation.now() / 1000;
      long[] window = data.offerWindows.computeIfAbsent(member, k -> new long[] {second, 0});
      if (window[0] != second) {
        window[0] = second;
        window[1] = 0;
      }
      if (window[1] >= reservation.offersPerSecond()) {
        return Reserved.refused(member + " was offered " + window[1] + " conversations this second");
      }
      window[1]++;
      data.holdings.computeIfAbsent(member, k -> new HashMap<>())
          .put(reservation.conversation(), new InMemoryData.Holding(reservation.node()));
      InMemoryData.setIn(data.reservationsOfNode, reservation.node()).add(List.of(member, reservation.conversation()));
      return Reserved.granted(data.gatewaysOf(member));
    });
  }

  @Override
  public Future<Void> cancel(Reservation reservation) {
    return data.atomically(() -> {
      Map<String, InMemoryData.Holding> held = data.holdings.get(reservation.member());
      InMemoryData.Holding holding = held == null ? null : held.get(reservation.conversation());
      if (holding != null && reservation.node().equals(holding.node())) {
        data.release(reservation.member(), reservation.conversation());
      }
      return null;
    });
  }

  @Override
  public Future<List<String>> releaseReservationsOf(String node) {
    return data.atomically(() -> {
      Set<List<String>> reserved = data.reservationsOfNode.remove(node);
      if (reserved == null) {
        return List.of();
      }
      List<String> released = new ArrayList<>();
      for (List<String> pair : reserved) {
        Map<String, InMemoryData.Holding> held = data.holdings.get(pair.get(0));
        InMemoryData.Holding holding = held == null ? null : held.get(pair.get(1));
        if (holding != null && node.equals(holding.node())) {
          data.release(pair.get(0), pair.get(1));
          released.add(pair.get(0));
        }
      }
      released.sort(null);
      return List.copyOf(released);
    });
  }

  @Override
  public Future<Void> recordDecision(RouteDecision decision, String roundRobin) {
    return data.atomically(() -> {
      Deque<RouteDecision> kept = data.decisions.computeIfAbsent(decision.destination(), k -> new ArrayDeque<>());
      kept.addFirst(decision);
      while (kept.size() > data.decisionsKept) {
        kept.removeLast();
      }
      if (roundRobin != null) {
        data.lastRoundRobin.put(decision.destination(), roundRobin);
      }
      return null;
    });
  }

  @Override
  public Future<Void> open(Conversation conversation, String reservingNode) {
    return data.atomically(() -> {
      data.conversations.put(conversation.id(), conversation);
      InMemoryData.setIn(data.conversationsOfUser, conversation.source()).add(conversation.id());
      InMemoryData.setIn(data.conversationsOfUser, conversation.agent()).add(conversation.id());
      Map<String, InMemoryData.PendingOpen> opening = data.pendingOpens.get(conversation.source());
      if (opening != null && opening.remove(conversation.id()) != null && opening.isEmpty()) {
        data.pendingOpens.remove(conversation.source());
      }
      InMemoryData.Holding previous = data.holdings.computeIfAbsent(conversation.agent(), k -> new HashMap<>())
          .put(conversation.id(), InMemoryData.Holding.OPEN);
      if (previous != null && previous.node() != null) {
        data.forgetReservation(previous.node(), conversation.agent(), conversation.id());
      }
      if (conversation.isVirtual()) {
        data.lastAssigned.put(InMemoryData.pairKey(conversation.destination(), conversation.agent()), conversation.openedAt());
        record(new HistoryRecord(conversation.openedAt(), conversation.source(), conversation.destination(),
            List.of(conversation.agent())));
      }
      return null;
    });
  }

  @Override
  public Future<Void> restore(Conversation conversation, long lastSeq) {
    return data.atomically(() -> {
      if (data.conversations.putIfAbsent(conversation.id(), conversation) == null) {
        InMemoryData.setIn(data.conversationsOfUser, conversation.source()).add(conversation.id());
        InMemoryData.setIn(data.conversationsOfUser, conversation.agent()).add(conversation.id());
        data.holdings.computeIfAbsent(conversation.agent(), k -> new HashMap<>())
            .put(conversation.id(), InMemoryData.Holding.OPEN);
      }
      data.sequences.merge(conversation.id(), lastSeq, Math::max);
      return null;
    });
  }

  /** Inserts a record in ts order (newest first), keeping the newest {@link #HISTORY_LIMIT}. */
  private void record(HistoryRecord record) {
    List<HistoryRecord> records = data.history.computeIfAbsent(
        InMemoryData.pairKey(record.source(), record.destination()), k -> new ArrayList<>());
    int at = 0;
    while (at < records.size() && records.get(at).ts() > record.ts()) {
      at++;
    }
    records.add(at, record);
    if (records.size() > HISTORY_LIMIT) {
      records.remove(records.size() - 1);
    }
  }

  @Override
  public Future<Conversation> conversation(String id) {
    return data.atomically(() -> data.existing(id));
  }

  @Override
  public Future<ClosedConversation> close(String id, String user, Conversation known) {
    return data.atomically(() -> {
      Conversation conversation = data.partyOf(id, user);
      data.conversations.remove(id);
      data.sequences.remove(id);
      data.transcripts.remove(id);
      data.closed.add(id);
      for (String party : List.of(conversation.source(), conversation.agent())) {
        data.closingsSent.remove(InMemoryData.pairKey(party, id));
        Set<String> ids = data.conversationsOfUser.get(party);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
          data.conversationsOfUser.remove(party);
        }
      }
      data.release(conversation.agent(), id);
      return new ClosedConversation(conversation, data.gatewaysOf(conversation.source()),
          data.gatewaysOf(conversation.agent()));
    });
  }

  @Override
  public Future<TransferredConversation> transfer(Conversation moved, String from, String reservingNode, long now) {
    return data.atomically(() -> {
      Conversation current = data.existing(moved.id());
      if (!current.agent().equals(from) || !current.source().equals(moved.source())) {
        throw new SwitchboardException(ErrorCode.GONE, "conversation " + moved.id() + " is no longer " + from + "'s");
      }
      data.conversations.put(moved.id(), moved);
      Set<String> ofFrom = data.conversationsOfUser.get(from);
      if (ofFrom != null && ofFrom.remove(moved.id()) && ofFrom.isEmpty()) {
        data.conversationsOfUser.remove(from);
      }
      data.closingsSent.remove(InMemoryData.pairKey(from, moved.id()));
      data.release(from, moved.id());
      InMemoryData.setIn(data.conversationsOfUser, moved.agent()).add(moved.id());
      data.holdings.computeIfAbsent(moved.agent(), k -> new HashMap<>()).put(moved.id(), InMemoryData.Holding.OPEN);
      data.forgetReservation(reservingNode, moved.agent(), moved.id());
      if (moved.isVirtual()) {
        data.lastAssigned.put(InMemoryData.pairKey(moved.destination(), moved.agent()), now);
        record(new HistoryRecord(now, moved.source(), moved.destination(), List.of(moved.agent())));
      }
      return new TransferredConversation(moved, data.gatewaysOf(moved.source()), data.gatewaysOf(from));
    });
  }

  @Override
  public Future<List<Conversation>> conversationsOf(String user) {
    return data.atomically(() -> data.conversationsOfUser.getOrDefault(user, Set.of()).stream()
        .map(data.conversations::get).toList());
  }

  @Override
  public Future<Void> addHistory(List<HistoryRecord> records) {
    return data.atomically(() -> {
      records.forEach(this::record);
      return null;
    });
  }

  @Override
  public Future<List<HistoryRecord>> history(String source, String destination) {
    return data.atomically(() -> List.copyOf(data.history.getOrDefault(InMemoryData.pairKey(source, destination), List.of())));
  }

  @Override
  public Future<List<RouteDecision>> decisions(String destination, int limit) {
    return data.atomically(() -> data.decisions.getOrDefault(destination, new ArrayDeque<>()).stream().limit(limit).toList());
  }
}
