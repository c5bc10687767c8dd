package io.switchboard.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Applies a user's {@link RulesDocument}: how an incoming message is handled ({@link #decide}), and which rules
 * the user's own actions activate ({@code on…}). Pure: no I/O and no clock; every instant is an argument, and the
 * gateway keeps the {@link RecipientState} between calls. Evaluation is linear in the message and bounded by the
 * document's limits, so it may run on an event loop.
 */
public final class RulesEngine {

  private RulesEngine() {
  }

  /**
   * The first enabled, active rule, by {@link RulesDocument#evaluationOrder()}, whose condition holds decides;
   * without one the message is delivered with popup ({@link Verdict#DEFAULT}).
   */
  public static Verdict decide(RulesDocument rules, IncomingMessage message, RecipientState recipient) {
    Facts facts = new Facts(message, recipient, rules.timeZone());
    for (Rule rule : rules.evaluationOrder()) {
      if (rule.enabled() && isActive(rules, rule, recipient, message.at()) && rule.when().test(facts)) {
        return Verdict.of(rule, message.automatic());
      }
    }
    return Verdict.DEFAULT;
  }

  private static boolean isActive(RulesDocument rules, Rule rule, RecipientState recipient, long now) {
    if (!rules.isActivated(rule.id())) {
      return true;
    }
    Long until = recipient.activeUntil().get(rule.id());
    return until != null && now < until;
  }

  /**
   * The user sent {@code body} at {@code now}: the activations it triggers. Call it for messages the user typed,
   * not for automatic replies sent on the user's behalf.
   */
  public static List<Activation> onSent(RulesDocument rules, String body, long now) {
    MessageText sent = new MessageText(body);
    return activations(rules, now, trigger -> trigger.firesOnSent(sent));
  }

  /** The user's status became {@code status} at {@code now} (call it on a change, not on a repeat). */
  public static List<Activation> onStatus(RulesDocument rules, String status, long now) {
    return activations(rules, now, trigger -> trigger.firesOnStatus(status));
  }

  /** A conversation of the user closed at {@code now}. */
  public static List<Activation> onClosed(RulesDocument rules, long now) {
    return activations(rules, now, ActivationRule.Trigger::firesOnClosed);
  }

  /** One activation per rule, in document order; a rule two triggers activate gets the later end. */
  private static List<Activation> activations(RulesDocument rules, long now, Predicate<ActivationRule.Trigger> fires) {
    Map<String, Long> until = new LinkedHashMap<>();
    for (ActivationRule activation : rules.activations()) {
      if (fires.test(activation.on())) {
        long end = now + activation.duration().toMillis();
        activation.activate().forEach(rule -> until.merge(rule, end, Math::max));
      }
    }
    return until.entrySet().stream().map(entry -> new Activation(entry.getKey(), entry.getValue())).toList();
  }
}
