package io.switchboard.store.redis;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SessionRef;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.UserEvent;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.Conversation;
import io.switchboard.store.Handling;
import io.switchboard.store.HandlingState;
import io.switchboard.store.HistoryRecord;
import io.switchboard.store.MessageDelivery;
import io.switchboard.store.RouteDecision;
import io.switchboard.store.RouteOutcome;
import io.switchboard.store.RouteRequest;
import io.switchboard.store.SwitchboardStore;
import io.switchboard.store.TranscriptEntry;
import io.switchboard.store.VirtualUserStatus;
import io.switchboard.store.redis.RedisKeys.ConversationKeys;
import io.switchboard.store.redis.RedisKeys.UserKeys;
import io.switchboard.store.redis.RedisKeys.VirtualUserKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The shared store on Redis or Redis Cluster (SPEC.md §6), with the behaviour of
 * {@link io.switchboard.store.InMemoryStore}. Every step is one command or one Lua script on keys of one hash tag
 * ({@link RedisKeys}); a routing decision is one script ({@code route.lua}) and one round trip.
 *
 * <p>Some operations span several tags and so take one atomic step per tag, ordered so that a failure half way
 * leaves nothing a later call cannot repair, and so that concurrent calls agree:
 * <ul>
 *   <li>{@link #putUser}, {@link #putVirtualUser}: the id is claimed in the directory first, then stored, then the
 *       members' copies in virtual users are refreshed. Until then a new virtual user routes as not found; copies
 *       carry the member's revision, so an older snapshot never replaces a newer one.</li>
 *   <li>{@link #connect}, {@link #disconnect}, {@link #setStatus}: the user's step decides and reports its own
 *       change; then each of its virtual users takes the user's snapshot in a step that reports the virtual user's
 *       aggregate change, only when that step changed it (so a change is reported once, by the call that made it).
 *       Every call sends the user's current snapshot, so a call that failed half way is repaired by the next one.
 *       A session is added to its node's set before the user's step and removed after it, so that a node's
 *       eviction never misses a session that is online.</li>
 *   <li>{@link #open}, {@link #close}: the conversation's own step decides (only one caller closes it); the parties'
 *       indexes, the history and the load follow. {@link #conversationsOf} skips a conversation closed meanwhile.</li>
 *   <li>{@link #append}: the conversation numbers the message, then the recipient's step queues it if the
 *       recipient has no session, checking and queuing at once.</li>
 *   <li>{@link #evictNode}: removing the lease is the claim (only one caller removes it), then the node's sessions
 *       are read.</li>
 * </ul>
 */
public final class RedisStore implements SwitchboardStore {

  /** How long a closed conversation is remembered, so that late requests get {@code gone} rather than {@code not_found}. */
  static final Duration CLOSED_REMEMBERED = Duration.ofHours(1);

  private static final String USER = "user";
  private static final String VIRTUAL = "virtual";
  private static final String NONE = "";

  private final RedisConnector redis;
  private final int decisionsKept;

  private RedisStore(RedisConnector redis, int decisionsKept) {
    this.redis = redis;
    this.decisionsKept = decisionsKept;
  }

  /** Connects to Redis; fails with {@code store_unavailable} when it cannot be reached now. */
  public static Future<RedisStore> connect(Vertx vertx, RedisStoreOptions options) {
    return RedisConnector.connect(vertx, options).map(connector -> new RedisStore(connector, options.decisionsKept()));
  }

  /** Closes the connection; the data stays in Redis. */
  public Future<Void> close() {
    return redis.close();
  }

  // --- directory

  @Override
  public Future<Void> putUser(User user) {
    return redis.eval(Script.CLAIM_ID, List.of(RedisKeys.DIRECTORY), List.of(USER, user.id()))
        .compose(claimed -> redis.eval(Script.PUT_PROFILE, RedisKeys.user(user.id()).snapshot(),
            List.of(user.toJson().encode())))
        .compose(stored -> propagate(user.id(), MemberSnapshot.from(stored, 0), strings(stored.get(3))))
        .mapEmpty();
  }

  @Override
  public Future<Void> putVirtualUser(VirtualUser virtualUser) {
    List<String> claim = Stream.concat(Stream.of(VIRTUAL, virtualUser.id()), virtualUser.members().stream()).toList();
    return redis.eval(Script.CLAIM_ID, List.of(RedisKeys.DIRECTORY), claim)
        .compose(claimed -> all(virtualUser.members(), member -> redis.eval(Script.JOIN_VIRTUAL_USER,
            RedisKeys.user(member).snapshot(), List.of(virtualUser.id()))))
        .compose(snapshots -> {
          List<String> args = new ArrayList<>(List.of(virtualUser.toJson().encode(),
              RoutingPlan.of(virtualUser).encode(), Long.toString(RoutingPlan.historyRetention(virtualUser).toMillis())));
          for (int i = 0; i < snapshots.size(); i++) {
            args.addAll(MemberSnapshot.from(snapshots.get(i), 0).args(virtualUser.members().get(i)));
          }
          return redis.eval(Script.PUT_VIRTUAL_USER, RedisKeys.virtualUser(virtualUser.id()).copies(), args);
        })
        .compose(removed -> all(strings(removed), member ->
            redis.send(Request.cmd(Command.SREM, RedisKeys.user(member).virtualUsers(), virtualUser.id()))))
        .mapEmpty();
  }

  @Override
  public Future<User> user(String id) {
    return redis.send(Request.cmd(Command.GET, RedisKeys.user(id).profile()))
        .map(profile -> profile == null ? null : User.fromJson(new JsonObject(profile.toString())));
  }

  @Override
  public Future<VirtualUser> virtualUser(String id) {
    return redis.send(Request.cmd(Command.HGET, RedisKeys.virtualUser(id).definition(), "json"))
        .map(json -> json == null ? null : VirtualUser.fromJson(new JsonObject(json.toString())));
  }

  @Override
  public Future<VirtualUserStatus> virtualUserStatus(String id) {
    VirtualUserKeys keys = RedisKeys.virtualUser(id);
    return redis.eval(Script.VIRTUAL_USER_STATUS, List.of(keys.definition(), keys.members(), keys.status(), keys.load()),
        List.of()).map(found -> {
          if (found == null) {
            return null;
          }
          List<VirtualUserStatus.Member> members = new ArrayList<>();
          List<String> ids = strings(found.get(0));
          for (int i = 0; i < ids.size(); i++) {
            Response status = found.get(1).get(i);
            Response load = found.get(2).get(i);
            Response profile = found.get(3).get(i);
            members.add(new VirtualUserStatus.Member(ids.get(i), status == null ? Status.OFFLINE : Status.parse(status.toString()),
                load == null ? 0 : load.toInteger(),
                profile == null ? null : User.fromJson(new JsonObject(profile.toString())).maxConversations()));
          }
          return new VirtualUserStatus(id, Status.aggregate(members.stream().map(VirtualUserStatus.Member::status).toList()),
              members);
        });
  }

  // --- presence

  @Override
  public Future<List<PresenceChange>> connect(SessionRef session) {
    return redis.send(Request.cmd(Command.SADD, RedisKeys.sessionsOfNode(session.node()), session.toJson().encode()))
        .compose(added -> changePresence(session.user(), "connect", session.session(), NONE, NONE));
  }

  @Override
  public Future<List<PresenceChange>> disconnect(SessionRef session) {
    return changePresence(session.user(), "disconnect", session.session(), NONE, NONE)
        .compose(changes -> redis.send(Request.cmd(Command.SREM, RedisKeys.sessionsOfNode(session.node()),
            session.toJson().encode())).map(changes));
  }

  @Override
  public Future<List<PresenceChange>> setStatus(StatusRequest request) {
    return changePresence(request.user(), "status", NONE, request.status().wire(),
        request.activity() == null ? NONE : request.activity());
  }

  /** Runs the user's step of a presence change, then brings its virtual users' copies up to date. */
  private Future<List<PresenceChange>> changePresence(String user, String op, String session, String status, String activity) {
    UserKeys keys = RedisKeys.user(user);
    return redis.eval(Script.PRESENCE,
            List.of(keys.sessions(), keys.presence(), keys.revision(), keys.profile(), keys.virtualUsers()),
            List.of(op, session, status, activity))
        .compose(result -> propagate(user, MemberSnapshot.from(result, 1), strings(result.get(4))).map(virtualChanges -> {
          List<PresenceChange> changes = new ArrayList<>();
          if (result.get(0) != null) {
            changes.add(new PresenceChange(user, result.get(0).toString(), false));
          }
          changes.addAll(virtualChanges);
          return changes;
        }));
  }

  /** Applies a member's snapshot to each of its virtual users; returns the aggregate changes that caused. */
  private Future<List<PresenceChange>> propagate(String member, MemberSnapshot snapshot, List<String> virtualUsers) {
    return all(virtualUsers, id -> redis.eval(Script.APPLY_MEMBER, RedisKeys.virtualUser(id).copies(), snapshot.args(member)))
        .map(aggregates -> {
          List<PresenceChange> changes = new ArrayList<>();
          for (int i = 0; i < virtualUsers.size(); i++) {
            if (aggregates.get(i) != null) {
              changes.add(new PresenceChange(virtualUsers.get(i), aggregates.get(i).toString(), true));
            }
          }
          return changes;
        });
  }

  @Override
  public Future<List<PresenceChange>> presence(Collection<String> ids) {
    List<String> asked = List.copyOf(ids);
    if (asked.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request kindsOf = Request.cmd(Command.HMGET).arg(RedisKeys.DIRECTORY);
    asked.forEach(kindsOf::arg);
    return redis.send(kindsOf)
        .compose(kinds -> {
          List<String> unknown = new ArrayList<>();
          for (int i = 0; i < asked.size(); i++) {
            if (kinds.get(i) == null) {
              unknown.add(asked.get(i));
            }
          }
          if (!unknown.isEmpty()) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "no such user: " + String.join(", ", unknown)));
          }
          List<Future<PresenceChange>> statuses = new ArrayList<>();
          for (int i = 0; i < asked.size(); i++) {
            String id = asked.get(i);
            statuses.add(VIRTUAL.equals(kinds.get(i).toString())
                ? virtualUserStatus(id).map(status -> new PresenceChange(id,
                    (status == null ? Status.OFFLINE : status.status()).wire(), true))
                : redis.send(Request.cmd(Command.HGET, RedisKeys.user(id).presence(), "status"))
                    .map(status -> new PresenceChange(id, status == null ? Status.OFFLINE.wire() : status.toString(), false)));
          }
          return Future.all(statuses).map(all -> all.<PresenceChange>list());
        });
  }

  // --- routing

  @Override
  public Future<RouteOutcome> route(RouteRequest request) {
    VirtualUserKeys keys = RedisKeys.virtualUser(request.destination());
    List<String> keyList = List.of(keys.definition(), keys.members(), keys.status(), keys.load(), keys.assigned(),
        keys.roundRobin(), keys.decisions(), keys.history(request.source()));
    List<String> args = List.of(request.conversation(), request.source(), request.destination(),
        Long.toString(request.now()), new JsonArray(List.copyOf(request.excluded())).encode(),
        request.geo() == null ? NONE : request.geo().toJson().encode(), request.attributes().encode(),
        Integer.toString(decisionsKept));
    return redis.eval(Script.ROUTE, keyList, args).compose(routed -> {
      String kind = routed.get(0).toString();
      if ("not_virtual".equals(kind)) {
        return routeToUser(request.destination());
      }
      Status status = Status.parse(routed.get(1).toString());
      VirtualUser virtualUser = VirtualUser.fromJson(new JsonObject(routed.get(2).toString()));
      if ("unavailable".equals(kind)) {
        return Future.succeededFuture(new RouteOutcome(RouteOutcome.Kind.UNAVAILABLE, virtualUser.policy(), null, status));
      }
      RouteDecision decision = RouteDecision.fromJson(new JsonObject(routed.get(3).toString()));
      return Future.succeededFuture(new RouteOutcome(RouteOutcome.Kind.ROUTED, virtualUser.policy(), decision, status));
    });
  }

  /** The second round trip of a route to a destination that is not a virtual user: a common user, or nobody. */
  private Future<RouteOutcome> routeToUser(String destination) {
    UserKeys keys = RedisKeys.user(destination);
    return redis.eval(Script.USER_STATUS, List.of(keys.profile(), keys.presence()), List.of())
        .map(status -> status == null ? RouteOutcome.notFound()
            : new RouteOutcome(RouteOutcome.Kind.COMMON_USER, null, null, Status.parse(status.toString())));
  }

  @Override
  public Future<Void> release(String destination, String member) {
    return redis.eval(Script.RELEASE, List.of(RedisKeys.virtualUser(destination).load()), List.of(member)).mapEmpty();
  }

  @Override
  public Future<Void> open(Conversation conversation) {
    Request store = Request.cmd(Command.HSET, RedisKeys.conversation(conversation.id()).conversation(),
        "source", conversation.source(), "destination", conversation.destination(), "agent", conversation.agent(),
        "revealAgent", Boolean.toString(conversation.revealAgent()), "openedAt", Long.toString(conversation.openedAt()));
    return redis.send(store)
        .compose(stored -> all(List.of(conversation.source(), conversation.agent()), party ->
            redis.send(Request.cmd(Command.SADD, RedisKeys.user(party).conversations(), conversation.id()))))
        .compose(indexed -> conversation.isVirtual()
            ? recordHistory(conversation.destination(), conversation.source(),
                List.of(new HistoryRecord(conversation.openedAt(), conversation.source(), conversation.destination(),
                    List.of(conversation.agent()))), conversation.agent(), conversation.openedAt())
            : Future.succeededFuture())
        .mapEmpty();
  }

  @Override
  public Future<Conversation> conversation(String id) {
    ConversationKeys keys = RedisKeys.conversation(id);
    return redis.eval(Script.CONVERSATION, List.of(keys.conversation(), keys.closed()), List.of(id))
        .map(fields -> conversation(id, fields));
  }

  @Override
  public Future<Conversation> close(String id, String user) {
    ConversationKeys keys = RedisKeys.conversation(id);
    return redis.eval(Script.CLOSE, List.of(keys.conversation(), keys.closed(), keys.sequence(), keys.transcript()),
            List.of(id, user, Long.toString(CLOSED_REMEMBERED.toMillis())))
        .map(fields -> conversation(id, fields))
        .compose(closed -> all(List.of(closed.source(), closed.agent()), party ->
                redis.send(Request.cmd(Command.SREM, RedisKeys.user(party).conversations(), id))
                    .compose(unindexed -> redis.send(Request.cmd(Command.HDEL, RedisKeys.user(party).closings(), id))))
            .compose(unindexed -> closed.isVirtual() ? release(closed.destination(), closed.agent()) : Future.succeededFuture())
            .map(closed));
  }

  @Override
  public Future<List<Conversation>> conversationsOf(String user) {
    return redis.send(Request.cmd(Command.SMEMBERS, RedisKeys.user(user).conversations()))
        .compose(ids -> {
          List<String> open = strings(ids);
          return all(open, id -> redis.send(Request.cmd(Command.HMGET, RedisKeys.conversation(id).conversation(),
              "source", "destination", "agent", "revealAgent", "openedAt")))
              .map(found -> {
                List<Conversation> conversations = new ArrayList<>();
                for (int i = 0; i < open.size(); i++) {
                  if (found.get(i).get(0) != null) {
                    conversations.add(conversation(open.get(i), found.get(i)));
                  }
                }
                return conversations;
              });
        });
  }

  @Override
  public Future<MessageDelivery> append(String conversation, String sender, String body, long ts, Handling handling) {
    ConversationKeys keys = RedisKeys.conversation(conversation);
    return redis.eval(Script.APPEND, List.of(keys.conversation(), keys.closed(), keys.sequence(), keys.transcript()),
            List.of(conversation, sender, Long.toString(ts), body, Integer.toString(TRANSCRIPT_LIMIT),
                handling.disposition().wire(), handling.notifyLevel(), handling.automatic() ? "1" : "0"))
        .compose(numbered -> {
          Conversation open = conversation(conversation, numbered.get(0));
          MessageEvent event = open.messageFrom(sender, numbered.get(1).toLong(), ts, body, handling.notifyLevel(),
              handling.automatic());
          String recipient = open.peerOf(sender);
          UserKeys recipientKeys = RedisKeys.user(recipient);
          return switch (handling.disposition()) {
            case DELIVERED -> redis.eval(Script.ENQUEUE, List.of(recipientKeys.sessions(), recipientKeys.mailbox()),
                    List.of(event.toJson().encode(), Integer.toString(MAILBOX_LIMIT)))
                .map(queued -> new MessageDelivery(recipient, event, queued.toInteger() == 1, 0));
            case HELD -> redis.eval(Script.HOLD, List.of(recipientKeys.held()),
                    List.of(event.toJson().encode(), Integer.toString(HELD_LIMIT)))
                .map(count -> new MessageDelivery(recipient, event, false, count.toInteger()));
            case TRANSCRIPT, DROPPED -> Future.succeededFuture(new MessageDelivery(recipient, event, false, 0));
          };
        });
  }

  @Override
  public Future<List<MessageEvent>> drainMailbox(String user) {
    return takeMessages(RedisKeys.user(user).mailbox());
  }

  @Override
  public Future<List<MessageEvent>> releaseHeld(String user) {
    return takeMessages(RedisKeys.user(user).held());
  }

  private Future<List<MessageEvent>> takeMessages(String list) {
    return redis.eval(Script.TAKE_ALL, List.of(list), List.of())
        .map(queued -> strings(queued).stream().map(json -> (MessageEvent) UserEvent.fromJson(new JsonObject(json))).toList());
  }

  @Override
  public Future<List<MessageEvent>> messagesAfter(String conversation, String user, long afterSeq) {
    return transcriptLines(conversation, user).map(lines -> lines.stream()
        .filter(line -> line.recipient().equals(user) && line.event().seq() > afterSeq
            && line.handling() == Handling.Disposition.DELIVERED)
        .map(TranscriptLine::event)
        .toList());
  }

  @Override
  public Future<List<TranscriptEntry>> transcript(String conversation, String user) {
    return transcriptLines(conversation, user).map(lines -> lines.stream()
        .filter(line -> !(line.recipient().equals(user) && line.handling() == Handling.Disposition.DROPPED))
        .map(line -> new TranscriptEntry(line.recipient().equals(user) ? line.event()
            : line.conversation().asSentBy(line.event(), user), line.handling()))
        .toList());
  }

  /** A transcript entry: the message as its recipient received it and how it was handled. */
  private record TranscriptLine(Conversation conversation, String recipient, MessageEvent event,
                                Handling.Disposition handling) {
  }

  private Future<List<TranscriptLine>> transcriptLines(String conversation, String user) {
    ConversationKeys keys = RedisKeys.conversation(conversation);
    return redis.eval(Script.TRANSCRIPT, List.of(keys.conversation(), keys.closed(), keys.transcript()),
            List.of(conversation, user))
        .map(found -> {
          Conversation open = conversation(conversation, found.get(0));
          return strings(found.get(1)).stream().map(JsonObject::new)
              .map(entry -> new TranscriptLine(open, entry.getString("recipient"),
                  open.messageFrom(entry.getString("sender"), entry.getLong("seq"), entry.getLong("ts"),
                      entry.getString("body"), entry.getString("notify"), entry.getBoolean("auto", false)),
                  Handling.Disposition.parse(entry.getString("handling"))))
              .toList();
        });
  }

  @Override
  public Future<List<String>> virtualUsersOf(String member) {
    return redis.send(Request.cmd(Command.SMEMBERS, RedisKeys.user(member).virtualUsers()))
        .map(ids -> strings(ids).stream().sorted().toList());
  }

  // --- handling rules

  @Override
  public Future<JsonObject> rules(String user) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.user(user).rules()))
        .map(json -> json == null ? null : new JsonObject(json.toString()));
  }

  @Override
  public Future<Void> putRules(String user, JsonObject document) {
    return user(user).compose(known -> known == null
        ? Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "no user " + user))
        : redis.send(Request.cmd(Command.SET).arg(RedisKeys.user(user).rules()).arg(document.encode()))
            .compose(set -> redis.send(Request.cmd(Command.DEL).arg(RedisKeys.user(user).activations())))
            .mapEmpty());
  }

  @Override
  public Future<HandlingState> handlingState(String user, String conversation) {
    return redis.eval(Script.HANDLING_STATE, RedisKeys.user(user).handling(), List.of(conversation))
        .map(state -> {
          Map<String, Long> activeUntil = new LinkedHashMap<>();
          Response activations = state.get(3);
          for (int i = 0; i + 1 < activations.size(); i += 2) {
            activeUntil.put(activations.get(i).toString(), activations.get(i + 1).toLong());
          }
          Status status = state.get(1) == null ? Status.OFFLINE : Status.parse(state.get(1).toString());
          return new HandlingState(state.get(0) == null ? null : new JsonObject(state.get(0).toString()), status,
              state.get(2) == null ? null : state.get(2).toString(), activeUntil,
              state.get(4) == null ? null : state.get(4).toLong());
        });
  }

  @Override
  public Future<Void> activate(String user, Map<String, Long> activeUntil) {
    List<String> pairs = new ArrayList<>();
    activeUntil.forEach((rule, until) -> {
      pairs.add(rule);
      pairs.add(Long.toString(until));
    });
    return pairs.isEmpty() ? Future.succeededFuture()
        : redis.eval(Script.KEEP_LATEST, List.of(RedisKeys.user(user).activations()), pairs).mapEmpty();
  }

  @Override
  public Future<Void> closingSent(String user, String conversation, long ts) {
    return redis.eval(Script.KEEP_LATEST, List.of(RedisKeys.user(user).closings()), List.of(conversation, Long.toString(ts)))
        .mapEmpty();
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  // --- nodes

  @Override
  public Future<Void> renewLease(String node, long expiresAt) {
    return redis.send(Request.cmd(Command.ZADD, RedisKeys.NODES, Long.toString(expiresAt), node)).mapEmpty();
  }

  @Override
  public Future<List<String>> expiredNodes(long now) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE, RedisKeys.NODES, "-inf", "(" + now))
        .map(nodes -> strings(nodes).stream().sorted().toList());
  }

  @Override
  public Future<List<SessionRef>> evictNode(String node) {
    return redis.send(Request.cmd(Command.ZREM, RedisKeys.NODES, node))
        .compose(removed -> removed.toInteger() == 0 ? Future.succeededFuture(List.<SessionRef>of())
            : redis.send(Request.cmd(Command.SMEMBERS, RedisKeys.sessionsOfNode(node)))
                .map(held -> strings(held).stream().map(json -> SessionRef.fromJson(new JsonObject(json))).toList()));
  }

  // --- context

  @Override
  public Future<Void> addHistory(List<HistoryRecord> records) {
    Map<List<String>, List<HistoryRecord>> byPair = new LinkedHashMap<>();
    records.forEach(record -> byPair.computeIfAbsent(List.of(record.destination(), record.source()), pair -> new ArrayList<>())
        .add(record));
    return all(List.copyOf(byPair.entrySet()), pair ->
        recordHistory(pair.getKey().get(0), pair.getKey().get(1), pair.getValue(), NONE, 0)).mapEmpty();
  }

  /** Adds records between one source and one destination and, for an opened conversation, marks its agent assigned. */
  private Future<Response> recordHistory(String destination, String source, List<HistoryRecord> records, String agent,
                                         long assignedAt) {
    VirtualUserKeys keys = RedisKeys.virtualUser(destination);
    List<String> args = new ArrayList<>(List.of(Long.toString(RoutingPlan.HISTORY_MIN_RETENTION.toMillis()),
        Integer.toString(HISTORY_LIMIT), agent, Long.toString(assignedAt)));
    records.forEach(record -> args.add(record.toJson().encode()));
    return redis.eval(Script.RECORD_HISTORY, List.of(keys.definition(), keys.history(source), keys.assigned()), args);
  }

  @Override
  public Future<List<HistoryRecord>> history(String source, String destination) {
    return redis.send(Request.cmd(Command.LRANGE, RedisKeys.virtualUser(destination).history(source), "0", "-1"))
        .map(records -> strings(records).stream().map(json -> HistoryRecord.fromJson(new JsonObject(json))).toList());
  }

  @Override
  public Future<List<RouteDecision>> decisions(String destination, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return redis.send(Request.cmd(Command.LRANGE, RedisKeys.virtualUser(destination).decisions(), "0",
            Integer.toString(limit - 1)))
        .map(decisions -> strings(decisions).stream().map(json -> RouteDecision.fromJson(new JsonObject(json))).toList());
  }

  // --- reading replies

  /** A conversation from its fields in the order the scripts give them: source, destination, agent, revealAgent, openedAt. */
  private static Conversation conversation(String id, Response fields) {
    return new Conversation(id, fields.get(0).toString(), fields.get(1).toString(), fields.get(2).toString(),
        Boolean.parseBoolean(fields.get(3).toString()), fields.get(4).toLong());
  }

  /** The elements of an array reply as strings (none for a nil reply). */
  private static List<String> strings(Response array) {
    List<String> strings = new ArrayList<>();
    if (array != null) {
      array.forEach(element -> strings.add(element.toString()));
    }
    return strings;
  }

  /** Runs one step per item at once; the replies come in the items' order. */
  private static <T> Future<List<Response>> all(List<T> items, Function<T, Future<Response>> step) {
    return Future.all(items.stream().map(step).toList()).map(done -> done.<Response>list());
  }
}
