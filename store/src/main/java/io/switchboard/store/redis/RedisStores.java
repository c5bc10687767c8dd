package io.switchboard.store.redis;

import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.MessageLimits;
import io.switchboard.store.MessageStore;
import io.switchboard.store.PresenceStore;
import io.switchboard.store.QueueStore;
import io.switchboard.store.RulesStore;
import io.switchboard.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * The shared store of a cluster on Redis or Redis Cluster: the same contract as the embedded store (the same test
 * suites run against both), so that any node can route any request and a node can die without losing anything.
 * The key layout is in {@link RedisKeys}; every step is one command or one Lua script.
 */
public final class RedisStores implements Stores {

  private final RedisConnector redis;
  private final DirectoryStore directory;
  private final PresenceStore presence;
  private final ConversationStore conversations;
  private final MessageStore messages;
  private final RulesStore rules;
  private final QueueStore queues;

  private RedisStores(RedisConnector redis, RedisStoreOptions options, MessageLimits limits) {
    this.redis = redis;
    ParsedDirectory parsed = new ParsedDirectory();
    MemberCopies copies = new MemberCopies(redis);
    directory = new RedisDirectory(redis, copies, parsed);
    presence = new RedisPresence(redis, copies, directory);
    conversations = new RedisConversations(redis, parsed, options.decisionsKept());
    messages = new RedisMessages(redis, !redis.cluster(), limits);
    rules = new RedisRules(redis);
    queues = new RedisQueues(redis);
  }

  /** Connects to Redis; fails with {@code store_unavailable} when it cannot be reached now. */
  public static Future<RedisStores> connect(Vertx vertx, RedisStoreOptions options) {
    return connect(vertx, options, MessageLimits.DEFAULT);
  }

  /** Connects like {@link #connect(Vertx, RedisStoreOptions)}, with these bounds of the messages waiting per user. */
  public static Future<RedisStores> connect(Vertx vertx, RedisStoreOptions options, MessageLimits limits) {
    return RedisConnector.connect(vertx, options).map(connector -> new RedisStores(connector, options, limits));
  }

  @Override
  public DirectoryStore directory() {
    return directory;
  }

  @Override
  public PresenceStore presence() {
    return presence;
  }

  @Override
  public ConversationStore conversations() {
    return conversations;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public RulesStore rules() {
    return rules;
  }

  @Override
  public QueueStore queues() {
    return queues;
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }
}
