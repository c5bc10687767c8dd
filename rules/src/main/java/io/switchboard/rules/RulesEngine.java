package io.switchboard.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Applies a user's {@link RulesDocument}: how an incoming message is handled ({@link #decide}), and which rules
 * the user's own actions activate ({@code on…}). Pure: no I/O and no clock; every instant is an argument, and the
 * gateway keeps the {@link RecipientState} between calls. Evaluation is bounded by the document's limits and reads
 * at most {@link ContentCost#MAX_WINDOW} characters of a message, so it may run on an event loop.
 */
public final class RulesEngine {

  private RulesEngine() {
  }

  /**
   * The first enabled, active rule, by {@link RulesDocument#evaluationOrder()}, whose condition holds decides;
   * without one the message is delivered with popup ({@link Verdict#DEFAULT}).
   */
  public static Verdict decide(RulesDocument rules, IncomingMessage message, RecipientState recipient) {
    Facts facts = new Facts(message, new MessageText(message.body(), rules.contentWindow()), recipient,
        rules.timeZone());
    for (Rule rule : rules.evaluationOrder()) {
      if (rule.enabled() && isActive(rules, rule, recipient, message.at()) && rule.when().test(facts)) {
        return Verdict.of(rule, message.automatic());
      }
    }
    return Verdict.DEFAULT;
  }

  /**
   * Whether a rule of {@code rules} may decide a message of this {@code body}, judged by the message's text alone: a
   * false answer means {@link #decide} gives {@link Verdict#DEFAULT} whatever the recipient's state, so the state
   * need not be read (the server's default rules, which every user has, mostly concern a few kinds of text).
   */
  public static boolean mayDecide(RulesDocument rules, String body) {
    MessageText text = new MessageText(body, rules.contentWindow());
    return rules.rules().stream().anyMatch(rule -> rule.enabled() && rule.when().contentMayHold(text));
  }

  /**
   * Whether the rule {@code ruleId}, which held {@code message} at {@code heldAt}, would hold it still at
   * {@code message.at()}: the rule is still in the document, enabled, a hold, active, its condition holds, and its
   * {@code until} (if any) has not passed. Only that rule counts: a message is released when the reason it was held
   * for is gone, whatever other rules would now do with it.
   */
  public static boolean stillHolds(RulesDocument rules, String ruleId, IncomingMessage message,
                                   RecipientState recipient, long heldAt) {
    Rule rule = ruleId == null ? null : rules.rule(ruleId);
    if (rule == null || !rule.enabled() || rule.then().disposition() != Verdict.Disposition.HOLD
        || !isActive(rules, rule, recipient, message.at())) {
      return false;
    }
    Duration until = rule.then().holdUntil();
    if (until != null && message.at() >= heldAt + until.toMillis()) {
      return false;
    }
    Facts facts = new Facts(message, new MessageText(message.body(), rules.contentWindow()), recipient,
        rules.timeZone());
    return rule.when().test(facts);
  }

  /**
   * The first instant after {@code now} at which {@link #stillHolds} may change for a message held at
   * {@code heldAt} by {@code ruleId} while the recipient's presence stays as it is: the end of the hold's
   * {@code until}, of the rule's activation, or of a time window of its condition; {@link Long#MAX_VALUE} when
   * only a change of presence or rules can end the hold.
   */
  public static long nextHoldChange(RulesDocument rules, String ruleId, long heldAt, RecipientState recipient,
                                    long now) {
    Rule rule = ruleId == null ? null : rules.rule(ruleId);
    if (rule == null) {
      return Long.MAX_VALUE;
    }
    long next = Long.MAX_VALUE;
    Duration until = rule.then().holdUntil();
    if (until != null) {
      next = Math.min(next, Math.max(now + 1, heldAt + until.toMillis()));
    }
    Long activeUntil = recipient.activeUntil().get(rule.id());
    if (rules.isActivated(rule.id()) && activeUntil != null && activeUntil > now) {
      next = Math.min(next, activeUntil);
    }
    for (TimeWindow window : rule.when().timeWindows()) {
      next = Math.min(next, window.nextBoundary(now, rules.timeZone()));
    }
    return next;
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
    MessageText sent = new MessageText(body, rules.contentWindow());
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
