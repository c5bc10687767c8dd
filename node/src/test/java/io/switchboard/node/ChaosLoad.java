package io.switchboard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The bounded load of a chaos scenario: {@code N} conversations, each between a source {@code src-i} and a member
 * of the virtual user {@code desk} (members {@code ag-j}, a third as many as conversations, picked by least
 * load), each side sending at a fixed rate. Two sources of three connect through the first node, the rest and
 * the members through the others, so conversations cross nodes in every direction and some stay on one node.
 * Half the clients use TCP, half WebSocket.
 */
final class ChaosLoad implements AutoCloseable {

  static final String DESK = "desk";
  static final String WATCHER = "watcher";
  private static final Duration POLL = Duration.ofMillis(50);
  private static final long SWEEP_MILLIS = 200;

  /** One conversation of the load and its two directions. */
  record Conversation(int index, String id, ChaosParty source, ChaosParty member, ChaosLedger toMember,
                      ChaosLedger toSource) {
    List<ChaosLedger> ledgers() {
      return List.of(toMember, toSource);
    }
  }

  final ChaosStats stats = new ChaosStats();
  private final int rate;
  private final List<ChaosParty> sources = new ArrayList<>();
  private final List<ChaosParty> members = new ArrayList<>();
  private final List<Conversation> conversations = new ArrayList<>();
  /** Which member each offered conversation went to. */
  private final Map<String, ChaosParty> offered = new ConcurrentHashMap<>();
  /** The load's beat: the parties' sends and the deadline sweep. */
  private final ScheduledExecutorService beat = Executors.newScheduledThreadPool(2);
  private final ScheduledExecutorService connector;

  /**
   * @param rate messages per second each side sends into each conversation
   */
  ChaosLoad(ChaosCluster cluster, int conversationCount, int rate) {
    this.rate = rate;
    List<NodeProcess> nodes = cluster.nodes;
    int memberCount = memberCount(conversationCount);
    connector = Executors.newScheduledThreadPool(conversationCount + memberCount);
    for (int i = 1; i <= conversationCount; i++) {
      int home = i % 3 != 0 || nodes.size() == 1 ? 0 : 1 + (i / 3) % (nodes.size() - 1);
      sources.add(new ChaosParty("src-" + i, i % 2 == 1, rotated(nodes, home), cluster, connector, stats, null));
    }
    for (int j = 1; j <= memberCount; j++) {
      int home = nodes.size() == 1 ? 0 : 1 + j % (nodes.size() - 1);
      members.add(new ChaosParty("ag-" + j, j % 2 == 0, rotated(nodes, home), cluster, connector, stats, offered::put));
    }
  }

  private static int memberCount(int conversations) {
    return Math.max(2, (conversations + 2) / 3);
  }

  /** The nodes from {@code home} on, round: the order a client tries them in. */
  private static List<NodeProcess> rotated(List<NodeProcess> nodes, int home) {
    List<NodeProcess> order = new ArrayList<>(nodes.subList(home, nodes.size()));
    order.addAll(nodes.subList(0, home));
    return order;
  }

  /** The directory of a load of {@code conversations}, with the watcher and each node's probe users. */
  static JsonObject directory(int conversations, List<String> nodeIds) {
    JsonArray users = new JsonArray().add(new JsonObject().put("id", WATCHER));
    JsonArray desk = new JsonArray();
    for (int i = 1; i <= conversations; i++) {
      users.add(new JsonObject().put("id", "src-" + i));
    }
    for (int j = 1; j <= memberCount(conversations); j++) {
      users.add(new JsonObject().put("id", "ag-" + j));
      desk.add("ag-" + j);
    }
    JsonArray virtualUsers = new JsonArray().add(new JsonObject().put("id", DESK).put("members", desk)
        .put("policy", new JsonObject().put("chain", new JsonArray().add(new JsonObject().put("type", "least-load")))
            .put("offerTimeout", ChaosCluster.OFFER_TIMEOUT.toString()).put("maxOffers", 2)));
    nodeIds.forEach(node -> ChaosProbe.addTo(users, virtualUsers, node));
    return new JsonObject().put("users", users).put("virtualUsers", virtualUsers);
  }

  /** Every virtual user whose members' loads must be back to 0 at the end. */
  static List<String> virtualUsers(List<String> nodeIds) {
    return Stream.concat(Stream.of(DESK), nodeIds.stream().map(ChaosProbe::desk)).toList();
  }

  List<ChaosParty> parties() {
    return Stream.concat(sources.stream(), members.stream()).toList();
  }

  List<Conversation> conversations() {
    return conversations;
  }

  /** Connects every client through its home node and opens every conversation; fails unless all succeed. */
  void connectAndOpen() {
    parties().forEach(ChaosParty::connectHome);
    List<CompletableFuture<JsonObject>> opens = sources.stream()
        .map(source -> source.request(new JsonObject().put("type", "open").put("to", DESK))).toList();
    for (int i = 0; i < opens.size(); i++) {
      ChaosParty source = sources.get(i);
      JsonObject opened = opens.get(i).orTimeout(ChaosParty.OPEN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
      if (!"opened".equals(opened.getString("type"))) {
        throw new AssertionError(source.user + " could not open a conversation with " + DESK + ": " + opened.encode());
      }
      String id = opened.getString("conversation");
      ChaosParty member = offered.get(id);
      ChaosLedger toMember = new ChaosLedger(id, source.user, member.user);
      ChaosLedger toSource = new ChaosLedger(id, member.user, source.user);
      source.join(i + 1, id, toMember, toSource);
      member.join(i + 1, id, toSource, toMember);
      conversations.add(new Conversation(i + 1, id, source, member, toMember, toSource));
    }
  }

  /** Starts sending at the rate on every conversation, and the sweep for requests past their deadline. */
  void start() {
    long period = Math.max(1, 1000 / rate);
    for (ChaosParty party : parties()) {
      party.sending(true);
      beat.scheduleAtFixedRate(() -> party.tick(rate), period, period, TimeUnit.MILLISECONDS);
    }
    beat.scheduleAtFixedRate(() -> parties().forEach(party -> party.sweep(System.nanoTime())),
        SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Every conversation carried at least {@code count} messages each way. */
  boolean flowing(int count) {
    return conversations.stream().flatMap(conversation -> conversation.ledgers().stream())
        .allMatch(ledger -> ledger.figures(Long.MAX_VALUE).delivered() >= count);
  }

  void stopSending() {
    parties().forEach(party -> party.sending(false));
  }

  /** No request waits for an answer any more (answered, lost with its connection, or past its deadline). */
  boolean settled() {
    return parties().stream().allMatch(party -> party.pending() == 0);
  }

  /** Every client is connected and has every message acked to its peers. */
  boolean delivered() {
    return parties().stream().allMatch(ChaosParty::connected)
        && conversations.stream().allMatch(conversation -> conversation.ledgers().stream().allMatch(ChaosLedger::complete));
  }

  /**
   * How many of the missing seqs (acked, never delivered) the receiver's transcript holds as delivered, in the page
   * from the first of them: they are in the store, so a resume from 0 would bring them. -1 when the transcript was refused (e.g. {@code gone} for a
   * closed conversation) or not answered; {@code why} gets the reason.
   */
  int missingInStore(Conversation conversation, ChaosLedger ledger, List<Long> missing, StringBuilder why) {
    ChaosParty receiver = receiver(conversation, ledger);
    try {
      JsonObject transcript = receiver.request(new JsonObject().put("type", "transcript").put("conversation", conversation.id())
              .put("after", missing.get(0) - 1))
          .orTimeout(ChaosParty.REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
      if (!"transcript".equals(transcript.getString("type"))) {
        why.append("transcript refused: ").append(transcript.getString("code"));
        return -1;
      }
      Map<String, Long> handlings = transcript.getJsonArray("messages").stream().map(JsonObject.class::cast)
          .filter(message -> missing.contains(message.getLong("seq")))
          .collect(Collectors.groupingBy(message -> message.getString("handling"), TreeMap::new, Collectors.counting()));
      why.append("the transcript has them as ").append(handlings);
      return handlings.getOrDefault("delivered", 0L).intValue();
    } catch (RuntimeException unanswered) {
      why.append("transcript not answered: ").append(unanswered.getMessage());
      return -1;
    }
  }

  static ChaosParty receiver(Conversation conversation, ChaosLedger ledger) {
    return ledger == conversation.toMember() ? conversation.member() : conversation.source();
  }

  /** Closes every conversation from its source and waits for the answers; returns the failures. */
  List<String> closeAll() {
    conversations.forEach(conversation -> {
      conversation.source().sides().forEach(side -> side.closing = true);
      conversation.member().sides().forEach(side -> side.closing = true);
    });
    List<String> failures = new ArrayList<>();
    for (Conversation conversation : conversations) {
      try {
        JsonObject answer = conversation.source().request(new JsonObject().put("type", "close")
                .put("conversation", conversation.id()))
            .orTimeout(ChaosParty.REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
        // gone: closed already, which the conversations the server ended account for
        if (!"ok".equals(answer.getString("type")) && !"gone".equals(answer.getString("code"))) {
          failures.add(conversation.id() + ": " + answer.getString("code") + " " + answer.getString("message"));
        }
      } catch (RuntimeException failed) {
        failures.add(conversation.id() + ": " + failed.getMessage());
      }
    }
    return failures;
  }

  /** Polls {@code done} until it holds or {@code timeout} passes; returns whether it held. */
  static boolean poll(Duration timeout, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      // the polling interval, not a synchronisation: the condition is checked again
      LockSupport.parkNanos(POLL.toNanos());
    }
    return true;
  }

  @Override
  public void close() {
    stopSending();
    beat.shutdownNow();
    parties().forEach(ChaosParty::shutDown);
    connector.shutdownNow();
  }
}
