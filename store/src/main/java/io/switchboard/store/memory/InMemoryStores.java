package io.switchboard.store.memory;

import io.switchboard.store.ConversationStore;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.MessageLimits;
import io.switchboard.store.MessageStore;
import io.switchboard.store.PresenceStore;
import io.switchboard.store.QueueStore;
import io.switchboard.store.RulesStore;
import io.switchboard.store.Stores;
import io.vertx.core.Future;

/** The embedded default store: all shared state in this process, for a node on its own. */
public final class InMemoryStores implements Stores {

  private final DirectoryStore directory;
  private final PresenceStore presence;
  private final ConversationStore conversations;
  private final MessageStore messages;
  private final RulesStore rules;
  private final QueueStore queues;

  /** @param decisionsKept routing decisions kept per virtual user */
  public InMemoryStores(int decisionsKept) {
    this(decisionsKept, MessageLimits.DEFAULT);
  }

  /**
   * @param decisionsKept routing decisions kept per virtual user
   * @param limits        how many messages wait for one user at most
   */
  public InMemoryStores(int decisionsKept, MessageLimits limits) {
    InMemoryData data = new InMemoryData(decisionsKept);
    directory = new InMemoryDirectory(data);
    presence = new InMemoryPresence(data);
    // A routing decision reads the queue's length with the rest of its state.
    InMemoryQueues waiting = new InMemoryQueues(data);
    queues = waiting;
    conversations = new InMemoryConversations(data, waiting);
    messages = new InMemoryMessages(data, limits);
    rules = new InMemoryRules(data);
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
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
