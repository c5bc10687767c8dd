package io.switchboard.rules;

/** How the recipient's client announces a delivered message (PROTOCOL.md §Messages, {@code "notify"}). */
public enum Notify {
  /** Bring the conversation forward: the default. */
  POPUP,
  /** Show it without taking focus (a badge, a tray icon). */
  SILENT,
  /** Add it to the conversation without any announcement. */
  NONE;

  /** Its spelling in rules and in the message frame's {@code notify}. */
  public String wire() {
    return Fields.wire(this);
  }
}
