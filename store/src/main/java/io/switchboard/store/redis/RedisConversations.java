package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.Status;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.RouteDecision;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.ClosedConversation;
import io.switchboard.store.ConversationStore;
import io.switchboard.store.MemberState;
import io.switchboard.store.Reservation;
import io.switchboard.store.Reserved;
import io.switchboard.store.RoutingState;
import io.switchboard.store.TransferredConversation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Conversations, loads, history and decisions on Redis. A member's load lives with the member (its holdings: one
 * entry per conversation reserved or open), so a reservation is one script on the member's tag that checks and
 * counts at once; routing reads the virtual user's state in one script and its members' loads in one MGET, side by
 * side. Steps that span tags — opening (the conversation, both parties, the history) and closing (the conversation,
 * then both parties' sides) — run side by side as well; each is safe to repeat, and only the conversation's own step
 * decides a close, so its load is given back once.
 */
final class RedisConversations implements ConversationStore {

  /** How long a closed conversation is remembered, so that late requests get {@code gone} rather than {@code not_found}. */
  static final Duration CLOSED_REMEMBERED = Duration.ofHours(1);

  private final RedisConnector redis;
  private final ParsedDirectory parsed;
  private final int decisionsKept;

  RedisConversations(RedisConnector redis, ParsedDirectory parsed, int decisionsKept) {
    this.redis = redis;
    this.parsed = parsed;
    this.decisionsKept = decisionsKept;
  }

  // --- routing

  @Override
  public Future<RoutingState> routingState(String destination, String source, long now) {
    String kind = parsed.kindOf(destination);
    if (kind != null) {
      return stateOf(destination, kind, source, now);
    }
    return redis.send(Request.cmd(Command.HGET, RedisKeys.DIRECTORY, destination)).compose(found -> {
      if (found == null) {
        return Future.succeededFuture(RoutingState.NOT_FOUND);
      }
      parsed.learnKind(destination, found.toString());
      return stateOf(destination, found.toString(), source, now);
    });
  }

  private Future<RoutingState> stateOf(String destination, String kind, String source, long now) {
    return ParsedDirectory.VIRTUAL.equals(kind) ? virtualUserState(destination, source, now)
        : Future.succeededFuture(RoutingState.COMMON_USER);
  }

  /**
   * One round trip when this node has parsed the virtual user before: its state script and its members' loads side
   * by side (the loads read again only if its members changed meanwhile).
   */
  private Future<RoutingState> virtualUserState(String id, String source, long now) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(id);
    ParsedDirectory.Definition known = parsed.definition(id);
    // Before this node has parsed the definition it cannot tell how much history the policy reads: all of it (-1).
    int needed = known == null ? Integer.MAX_VALUE : known.virtualUser().policy().historyNeeded();
    String historyToRead = needed == Integer.MAX_VALUE ? "-1" : Integer.toString(needed);
    Future<Response> state = redis.eval(Script.ROUTING_STATE, List.of(keys.definition(), keys.members(), keys.status(),
        keys.revisions(), keys.assigned(), keys.roundRobin(), keys.history(source), keys.queue()),
        List.of(known == null ? "" : known.revision(), historyToRead));
    Future<List<Integer>> knownLoads = known == null ? null : RedisDirectory.loads(redis, known.members());
    return state.compose(reply -> {
      if (reply == null) {
        return Future.succeededFuture(RoutingState.NOT_FOUND);
      }
      ParsedDirectory.Definition definition = reply.get(1) == null ? known
          : parsed.definition(id, reply.get(0).toString(), reply.get(1).toString());
      List<String> members = RedisReplies.strings(reply.get(2));
      Future<List<Integer>> loads = knownLoads != null && members.equals(known.members()) ? knownLoads
          : RedisDirectory.loads(redis, members);
      return loads.map(memberLoads -> state(definition.virtualUser(), members, memberLoads, reply, now));
    });
  }

  private RoutingState state(VirtualUser virtualUser, List<String> ids, List<Integer> loads, Response reply, long now) {
    List<MemberState> members = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Response status = reply.get(3).get(i);
      Response revision = reply.get(4).get(i);
      Response profile = reply.get(5).get(i);
      Response assigned = reply.get(6).get(i);
      members.add(new MemberState(
          parsed.profile(id, revision == null ? "" : revision.toString(), profile == null ? null : profile.toString()),
          status == null ? Status.OFFLINE : Status.parse(status.toString()), loads.get(i),
          assigned == null ? 0 : assigned.toLong()));
    }
    long oldestKept = now - Long.parseLong(reply.get(9) == null ? "0" : reply.get(9).toString());
    List<HistoryRecord> history = RedisReplies.strings(reply.get(8)).stream()
        .limit(virtualUser.policy().historyNeeded())
        .map(json -> HistoryRecord.fromJson(new JsonObject(json)))
        .filter(record -> record.ts() > oldestKept)
        .toList();
    return new RoutingState(RoutingState.Kind.VIRTUAL_USER, virtualUser,
        Status.aggregate(members.stream().map(MemberState::status).toList()), members, history,
        reply.get(7) == null ? null : reply.get(7).toString(), reply.get(10).toInteger());
  }

  @Override
  public Future<Boolean> startOpen(String source, String destination, String conversation, int limit, long now,
                                   long until) {
    return redis.eval(Script.START_OPEN, List.of(RedisKeys.user(source).pendingOpens()),
            List.of(destination, conversation, Integer.toString(limit), Long.toString(now), Long.toString(until)))
        .map(counted -> counted.toInteger() == 1);
  }

  @Override
  public Future<Void> endOpen(String source, String conversation) {
    return redis.send(Request.cmd(Command.HDEL, RedisKeys.user(source).pendingOpens(), conversation)).mapEmpty();
  }

  @Override
  public Future<Reserved> reserve(Reservation reservation) {
    RedisKeys.UserKeys keys = RedisKeys.user(reservation.member());
    String available = reservation.available().stream().map(Status::wire).sorted().collect(Collectors.joining("\n"));
    // The node's index is written first, so a node that dies right after reserving leaves nothing unfound.
    Future<Response> indexed = redis.send(Request.cmd(Command.SADD, RedisKeys.node(reservation.node()).reservations(),
        indexEntry(reservation.member(), reservation.conversation())));
    Future<Response> reserved = redis.eval(Script.RESERVE, List.of(keys.presence(), keys.capacity(), keys.holdings(),
            keys.load(), keys.offers(), keys.sessions()),
        List.of(reservation.conversation(), reservedBy(reservation.node()), available, Long.toString(reservation.now()),
            Integer.toString(reservation.offersPerSecond()), reservation.member()));
    return Future.all(indexed, reserved).compose(done -> {
      Response answer = reserved.result();
      if (answer.get(0).toInteger() == 1) {
        return Future.succeededFuture(Reserved.granted(RedisReplies.gateways(answer.get(1))));
      }
      return unindex(reservation.node(), reservation.member(), reservation.conversation())
          .map(Reserved.refused(answer.get(1).toString()));
    });
  }

  @Override
  public Future<Void> cancel(Reservation reservation) {
    RedisKeys.UserKeys keys = RedisKeys.user(reservation.member());
    return Future.all(
            redis.eval(Script.RELEASE, List.of(keys.holdings(), keys.load()),
                List.of(reservation.conversation(), reservedBy(reservation.node()))),
            unindex(reservation.node(), reservation.member(), reservation.conversation()))
        .mapEmpty();
  }

  @Override
  public Future<List<String>> releaseReservationsOf(String node) {
    String index = RedisKeys.node(node).reservations();
    return redis.send(Request.cmd(Command.SMEMBERS, index)).compose(entries -> {
      List<String[]> pairs = RedisReplies.strings(entries).stream().map(entry -> entry.split("\n", 2)).toList();
      return RedisReplies.all(pairs, pair -> {
            RedisKeys.UserKeys keys = RedisKeys.user(pair[0]);
            return redis.eval(Script.RELEASE, List.of(keys.holdings(), keys.load()), List.of(pair[1], reservedBy(node)));
          })
          .compose(released -> redis.send(Request.cmd(Command.DEL, index)).map(deleted -> {
            List<String> members = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
              if (released.get(i).toInteger() == 1) {
                members.add(pairs.get(i)[0]);
              }
            }
            members.sort(null);
            return List.copyOf(members);
          }));
    });
  }

  /** What a member's holdings say of a conversation reserved by {@code node}'s router (never {@code open}). */
  private static String reservedBy(String node) {
    return "r:" + node;
  }

  private static String indexEntry(String member, String conversation) {
    return member + "\n" + conversation;
  }

  private Future<Response> unindex(String node, String member, String conversation) {
    return redis.send(Request.cmd(Command.SREM, RedisKeys.node(node).reservations(), indexEntry(member, conversation)));
  }

  @Override
  public Future<Void> recordDecision(RouteDecision decision, String roundRobin) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(decision.destination());
    return redis.eval(Script.RECORD_DECISION, List.of(keys.decisions(), keys.roundRobin()),
        List.of(decision.toJson().encode(), Integer.toString(decisionsKept), roundRobin == null ? "" : roundRobin)).mapEmpty();
  }

  // --- conversations

  @Override
  public Future<Void> open(Conversation conversation, String reservingNode) {
    List<Future<?>> steps = new ArrayList<>();
    steps.add(redis.send(Request.cmd(Command.HSET, RedisKeys.conversation(conversation.id()).conversation(),
        "source", conversation.source(), "destination", conversation.destination(), "agent", conversation.agent(),
        "revealAgent", Boolean.toString(conversation.revealAgent()), "openedAt", Long.toString(conversation.openedAt()))));
    steps.add(enter(conversation.agent(), conversation.id(), "agent"));
    steps.add(enter(conversation.source(), conversation.id(), "source"));
    if (reservingNode != null) {
      steps.add(unindex(reservingNode, conversation.agent(), conversation.id()));
    }
    if (conversation.isVirtual()) {
      steps.add(recordHistory(conversation.destination(), conversation.source(),
          List.of(new HistoryRecord(conversation.openedAt(), conversation.source(), conversation.destination(),
              List.of(conversation.agent()))), conversation.agent(), conversation.openedAt()));
    }
    return Future.all(steps).mapEmpty();
  }

  private Future<Response> enter(String party, String conversation, String role) {
    RedisKeys.UserKeys keys = RedisKeys.user(party);
    return redis.eval(Script.ENTER_CONVERSATION,
        List.of(keys.conversations(), keys.holdings(), keys.load(), keys.pendingOpens()), List.of(conversation, role));
  }

  @Override
  public Future<Void> restore(Conversation conversation, long lastSeq) {
    RedisKeys.ConversationKeys keys = RedisKeys.conversation(conversation.id());
    return Future.all(
            redis.eval(Script.RESTORE_CONVERSATION, List.of(keys.conversation(), keys.sequence()),
                List.of(conversation.source(), conversation.destination(), conversation.agent(),
                    Boolean.toString(conversation.revealAgent()), Long.toString(conversation.openedAt()),
                    Long.toString(lastSeq))),
            enter(conversation.agent(), conversation.id(), "agent"),
            enter(conversation.source(), conversation.id(), "source"))
        .mapEmpty();
  }

  @Override
  public Future<Conversation> conversation(String id) {
    RedisKeys.ConversationKeys keys = RedisKeys.conversation(id);
    return redis.eval(Script.CONVERSATION, List.of(keys.conversation(), keys.closed()), List.of(id))
        .map(fields -> RedisReplies.conversation(id, fields));
  }

  @Override
  public Future<ClosedConversation> close(String id, String user, Conversation known) {
    if (known == null) {
      return conversation(id).compose(found -> close(id, user, found));
    }
    if (!known.hasParty(user)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.FORBIDDEN, "conversation " + id + " is not yours"));
    }
    RedisKeys.ConversationKeys keys = RedisKeys.conversation(id);
    Future<Response> closed = redis.eval(Script.CLOSE,
        List.of(keys.conversation(), keys.closed(), keys.sequence(), keys.transcript()),
        List.of(id, user, Long.toString(CLOSED_REMEMBERED.toMillis())));
    Future<Response> source = leave(known.source(), id);
    Future<Response> agent = leave(known.agent(), id);
    return Future.all(closed, source, agent).compose(done -> {
      Conversation conversation = RedisReplies.conversation(id, closed.result());
      // Handed to another agent since the caller learnt of it: that agent's side is left too.
      Future<Response> agentSide = conversation.agent().equals(known.agent()) ? agent : leave(conversation.agent(), id);
      return agentSide.map(left -> new ClosedConversation(conversation, RedisReplies.gateways(source.result()),
          RedisReplies.gateways(left)));
    });
  }

  @Override
  public Future<TransferredConversation> transfer(Conversation moved, String from, String reservingNode, long now) {
    RedisKeys.ConversationKeys keys = RedisKeys.conversation(moved.id());
    return redis.eval(Script.TRANSFER, List.of(keys.conversation(), keys.closed()), List.of(moved.id(), from,
            moved.source(), moved.agent(), moved.destination(), Boolean.toString(moved.revealAgent())))
        .compose(fields -> {
          Conversation conversation = RedisReplies.conversation(moved.id(), fields);
          Future<Response> left = leave(from, moved.id());
          Future<Response> source = redis.send(Request.cmd(Command.HVALS, RedisKeys.user(moved.source()).sessions()));
          List<Future<?>> steps = new ArrayList<>(List.of(left, source, enter(moved.agent(), moved.id(), "agent"),
              unindex(reservingNode, moved.agent(), moved.id())));
          if (conversation.isVirtual()) {
            steps.add(recordHistory(conversation.destination(), conversation.source(),
                List.of(new HistoryRecord(now, conversation.source(), conversation.destination(),
                    List.of(conversation.agent()))), conversation.agent(), now));
          }
          return Future.all(steps).map(done -> new TransferredConversation(conversation,
              RedisReplies.gateways(source.result()), RedisReplies.gateways(left.result())));
        });
  }

  private Future<Response> leave(String party, String conversation) {
    RedisKeys.UserKeys keys = RedisKeys.user(party);
    return redis.eval(Script.LEAVE_CONVERSATION,
        List.of(keys.conversations(), keys.closings(), keys.holdings(), keys.load(), keys.sessions()), List.of(conversation));
  }

  @Override
  public Future<List<Conversation>> conversationsOf(String user) {
    return redis.send(Request.cmd(Command.SMEMBERS, RedisKeys.user(user).conversations()))
        .compose(ids -> {
          List<String> open = RedisReplies.strings(ids);
          return RedisReplies.all(open, id -> redis.send(Request.cmd(Command.HMGET, RedisKeys.conversation(id).conversation(),
                  "source", "destination", "agent", "revealAgent", "openedAt")))
              .map(found -> {
                List<Conversation> conversations = new ArrayList<>();
                for (int i = 0; i < open.size(); i++) {
                  if (found.get(i).get(0) != null) {
                    conversations.add(RedisReplies.conversation(open.get(i), found.get(i)));
                  }
                }
                return conversations;
              });
        });
  }

  // --- context

  @Override
  public Future<Void> addHistory(List<HistoryRecord> records) {
    Map<List<String>, List<HistoryRecord>> byPair = new LinkedHashMap<>();
    records.forEach(record -> byPair.computeIfAbsent(List.of(record.destination(), record.source()), pair -> new ArrayList<>())
        .add(record));
    return RedisReplies.all(List.copyOf(byPair.entrySet()), pair ->
        recordHistory(pair.getKey().get(0), pair.getKey().get(1), pair.getValue(), "", 0)).mapEmpty();
  }

  /** Adds records between one source and one destination and, for an opened conversation, marks its agent assigned. */
  private Future<Response> recordHistory(String destination, String source, List<HistoryRecord> records, String agent,
                                         long assignedAt) {
    RedisKeys.VirtualUserKeys keys = RedisKeys.virtualUser(destination);
    List<String> args = new ArrayList<>(List.of(Long.toString(VirtualUser.MIN_HISTORY_RETENTION.toMillis()),
        Integer.toString(HISTORY_LIMIT), agent, Long.toString(assignedAt)));
    records.forEach(record -> args.add(record.toJson().encode()));
    return redis.eval(Script.RECORD_HISTORY, List.of(keys.definition(), keys.history(source), keys.assigned()), args);
  }

  @Override
  public Future<List<HistoryRecord>> history(String source, String destination) {
    return redis.send(Request.cmd(Command.LRANGE, RedisKeys.virtualUser(destination).history(source), "0", "-1"))
        .map(records -> RedisReplies.strings(records).stream().map(json -> HistoryRecord.fromJson(new JsonObject(json))).toList());
  }

  @Override
  public Future<List<RouteDecision>> decisions(String destination, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return redis.send(Request.cmd(Command.LRANGE, RedisKeys.virtualUser(destination).decisions(), "0",
            Integer.toString(limit - 1)))
        .map(decisions -> RedisReplies.strings(decisions).stream().map(json -> RouteDecision.fromJson(new JsonObject(json))).toList());
  }
}
