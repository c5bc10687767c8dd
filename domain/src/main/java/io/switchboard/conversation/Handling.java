package io.switchboard.conversation;

import io.switchboard.contract.MessageEvent;

import java.util.Locale;

/**
 * How a message is handled for its recipient (docs/RULES.md): delivered with a notify level, held until the
 * recipient is available, recorded in the transcript only, or dropped; {@code automatic} marks an automatic
 * reply; {@code rule} is the id of the recipient's rule that decided, or null.
 */
public record Handling(Disposition disposition, String notifyLevel, boolean automatic, String rule) {

  /** Handling no rule decided. */
  public Handling(Disposition disposition, String notifyLevel, boolean automatic) {
    this(disposition, notifyLevel, automatic, null);
  }

  /** What happens to the message; the wire name marks it in the transcript. */
  public enum Disposition {
    DELIVERED, HELD, TRANSCRIPT, DROPPED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Disposition parse(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** What happens when the recipient has no rule about it. */
  public static final Handling DELIVER = new Handling(Disposition.DELIVERED, MessageEvent.POPUP, false);
}
