package io.switchboard.store;

import io.switchboard.contract.MessageEvent;

import java.util.Locale;

/**
 * How a message is handled for its recipient (SPEC.md §5): delivered with a notify level, held until the
 * recipient is available, recorded in the transcript only, or dropped; {@code automatic} marks an automatic
 * reply.
 */
public record Handling(Disposition disposition, String notifyLevel, boolean automatic) {

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
