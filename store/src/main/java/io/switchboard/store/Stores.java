package io.switchboard.store;

import io.vertx.core.Future;

/**
 * Everything the nodes share, by concern; each verticle takes the slices it uses. Every method of a slice is one
 * atomic step of the store (a remote store may take a few round trips for a step that spans several things, and
 * says how each is made safe); failures carry an {@link io.switchboard.contract.ErrorCode} through
 * {@link io.switchboard.contract.SwitchboardException}, {@code store_unavailable} when the store cannot be reached.
 */
public interface Stores {

  DirectoryStore directory();

  PresenceStore presence();

  ConversationStore conversations();

  MessageStore messages();

  RulesStore rules();

  QueueStore queues();

  /** Succeeds when the store answers: the node's readiness. */
  Future<Void> ping();

  /** Lets go of the store's connections; the data stays. */
  Future<Void> close();
}
