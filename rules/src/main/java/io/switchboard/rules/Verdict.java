package io.switchboard.rules;

import java.util.Objects;

/**
 * How one incoming message is handled for its recipient.
 *
 * @param rule        the id of the rule that decided, or null when none matched
 * @param disposition what happens to the message
 * @param notifyLevel how the recipient's client announces it when it is delivered, now or (held) on release;
 *                    {@link Notify#NONE} for transcript and drop, which deliver nothing
 * @param autoReply   text to send back to the sender, marked automatic; null when there is none, and always
 *                    null for an automatic incoming message, so two automatic repliers cannot loop
 */
public record Verdict(String rule, Disposition disposition, Notify notifyLevel, String autoReply) {

  /** What happens to a message. */
  public enum Disposition {
    /** Deliver it now. */
    DELIVER,
    /** Keep it, and deliver it when the recipient's status becomes available again. */
    HOLD,
    /** Record it in the conversation's transcript only. */
    TRANSCRIPT,
    /** Discard it. */
    DROP;

    /** The key that selects it in a rule's {@code then}. */
    public String wire() {
      return Fields.wire(this);
    }

    /** Whether the message reaches the recipient's client, now or later. */
    public boolean delivers() {
      return this == DELIVER || this == HOLD;
    }
  }

  /** No rule matched: deliver, and pop up. */
  public static final Verdict DEFAULT = new Verdict(null, Disposition.DELIVER, Notify.POPUP, null);

  public Verdict {
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(notifyLevel, "notifyLevel");
  }

  /** The verdict of {@code rule} for a message that is {@code automatic} or not. */
  static Verdict of(Rule rule, boolean automatic) {
    Action action = rule.then();
    Notify notifyLevel = !action.disposition().delivers() ? Notify.NONE
        : action.notifyLevel() == null ? Notify.POPUP : action.notifyLevel();
    return new Verdict(rule.id(), action.disposition(), notifyLevel, automatic ? null : action.autoReply());
  }
}
