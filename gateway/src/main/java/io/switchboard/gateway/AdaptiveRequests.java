package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.conversation.TranscriptEntry;
import io.switchboard.rules.ClosingClass;
import io.switchboard.rules.RulesDocument;
import io.switchboard.rules.Suggestions;
import io.switchboard.rules.Suggestions.Feedback;
import io.switchboard.rules.Suggestions.Suggestion;
import io.switchboard.store.AdaptiveState;
import io.switchboard.store.MessageStore;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's requests to the adaptive manager (PROTOCOL.md § "Rules suggestions", docs/RULES.md § "Suggestions"):
 * feedback on a message it received, its suggestions, adopting and dismissing one. What is learnt (feedback and the
 * {@link Observations}) lives in the store, so any node answers and a restart loses nothing.
 */
final class AdaptiveRequests {

  private final Vertx vertx;
  private final MessageStore messages;
  private final RulesStore rules;
  private final Clock clock;

  AdaptiveRequests(Vertx vertx, MessageStore messages, RulesStore rules, Clock clock) {
    this.vertx = vertx;
    this.messages = messages;
    this.rules = rules;
    this.clock = clock;
  }

  /**
   * Records how {@code user} wanted message {@code seq} of {@code conversation} handled; fails {@code not_found} for a
   * message it did not receive (and {@code forbidden} for a conversation that is not its own), recording nothing.
   * Answers the suggestions this feedback made appear.
   */
  Future<List<Suggestion>> feedback(String user, String conversation, long seq, String wanted) {
    if (!Suggestions.WISHES.contains(wanted)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_FRAME,
          "wanted must be one of " + String.join(", ", Suggestions.WISHES)));
    }
    return messages.transcript(conversation, user, seq - 1, 1).compose(page -> {
      TranscriptEntry entry = page.entries().isEmpty() ? null : page.entries().get(0);
      if (entry == null || entry.message().seq() != seq || entry.message().from().equals(user)) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND,
            "you received no message " + seq + " in " + conversation));
      }
      String body = entry.message().body();
      Feedback feedback = new Feedback(entry.message().from(), ClosingClass.isClosing(body), Suggestions.words(body),
          wanted, clock.millis());
      return state(user).compose(before -> rules.addFeedback(user, feedback.toJson())
          .map(added -> Suggestions.appeared(suggestions(user, before),
              suggestions(user, before.withFeedback(feedback.toJson())))));
    });
  }

  /** The user's suggestions now. */
  Future<List<Suggestion>> suggestions(String user) {
    return state(user).map(state -> suggestions(user, state));
  }

  /** Adds the suggestion's rule to the user's document; {@code not_found} for an id that is not one of its own. */
  Future<Void> adopt(String user, String id) {
    return state(user).compose(state -> {
      Suggestion suggestion = find(user, state, id);
      RulesDocument adopted = Suggestions.adopt(
          state.document() == null ? RulesDocument.EMPTY : RulesDocument.fromJson(state.document()), suggestion);
      return rules.putRules(user, adopted.toJson()).onSuccess(stored ->
          vertx.eventBus().publish(Addresses.RULES_CHANGED, new JsonObject().put("user", user)));
    });
  }

  /** Never proposes the suggestion again; {@code not_found} for an id that is not one of the user's. */
  Future<Void> dismiss(String user, String id) {
    return state(user).compose(state -> rules.dismiss(user, find(user, state, id).key()));
  }

  private Suggestion find(String user, State state, String id) {
    return suggestions(user, state).stream().filter(suggestion -> suggestion.id().equals(id)).findFirst()
        .orElseThrow(() -> new SwitchboardException(ErrorCode.NOT_FOUND, "you have no suggestion " + id));
  }

  /** The user's rules, the server's default rules (null for the shipped ones) and what the adaptive manager keeps. */
  private record State(JsonObject document, JsonObject defaults, AdaptiveState adaptive) {

    /** As the store keeps it once {@code feedback} is added: read again, it would cost the whole state again. */
    State withFeedback(JsonObject feedback) {
      List<JsonObject> kept = new ArrayList<>(adaptive.feedback());
      kept.add(feedback);
      List<JsonObject> bounded = kept.subList(Math.max(0, kept.size() - RulesStore.FEEDBACK_LIMIT), kept.size());
      return new State(document, defaults, new AdaptiveState(bounded, adaptive.observations(), adaptive.dismissed()));
    }
  }

  private Future<State> state(String user) {
    return rules.rules(user).compose(document -> rules.defaultRules().compose(defaults ->
        rules.adaptiveState(user).map(adaptive -> new State(document, defaults, adaptive))));
  }

  private List<Suggestion> suggestions(String user, State state) {
    return Suggestions.of(user, state.document(), state.defaults(), state.adaptive().feedback(),
        state.adaptive().observations(), state.adaptive().dismissed(), clock.millis());
  }
}
