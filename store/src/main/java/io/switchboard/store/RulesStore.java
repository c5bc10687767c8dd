package io.switchboard.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** Users' handling rules (docs/RULES.md) and what they read besides the message: activations and closings sent. */
public interface RulesStore {

  /** Most feedback kept per user for the adaptive manager; the oldest goes first. */
  int FEEDBACK_LIMIT = 500;
  /**
   * Most observations kept per user for the adaptive manager (a message received or sent is one); the oldest goes
   * first.
   */
  int OBSERVATION_LIMIT = 1000;
  /** Most dismissed suggestions remembered per user; the oldest goes first. */
  int DISMISSED_LIMIT = 1000;

  /** The user's rules document (validated by the caller), or null when it has none. */
  Future<JsonObject> rules(String user);

  /** Replaces the user's rules document and ends its activations; fails {@code not_found} for an unknown user. */
  Future<Void> putRules(String user, JsonObject document);

  /** Everything the user's rules read to judge a message in {@code conversation}, in one step. */
  Future<HandlingState> handlingState(String user, String conversation);

  /** Makes rules active until the given times (epoch ms), keeping the later end where one is already active. */
  Future<Void> activate(String user, Map<String, Long> activeUntil);

  /** The server's default rules document (validated by the caller), or null when an operator set none. */
  Future<JsonObject> defaultRules();

  /** Replaces the server's default rules document. */
  Future<Void> putDefaultRules(JsonObject document);

  /** Keeps one feedback of {@code user} (JSON, see {@link AdaptiveState}), newest last, at most {@link #FEEDBACK_LIMIT}. */
  Future<Void> addFeedback(String user, JsonObject feedback);

  /**
   * Keeps observations of users (JSON, see {@link AdaptiveState}), each user's in the order given, newest last, at
   * most {@link #OBSERVATION_LIMIT} per user, stamped with the user's status ({@code "status"}) and activity
   * ({@code "activity"}, left out for none) as the store has them now. Answers how many of the oldest went to make
   * room.
   */
  Future<Integer> observe(Map<String, List<JsonObject>> observationsByUser);

  /** What the adaptive manager keeps of {@code user}. */
  Future<AdaptiveState> adaptiveState(String user);

  /** Remembers that {@code user} dismissed the suggestion {@code key}; at most {@link #DISMISSED_LIMIT}. */
  Future<Void> dismiss(String user, String key);

  /** Records that {@code user} sent a closing in {@code conversation} at {@code ts}. */
  Future<Void> closingSent(String user, String conversation, long ts);
}
