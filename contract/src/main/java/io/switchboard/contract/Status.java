package io.switchboard.contract;

import java.util.Locale;

/** A user's presence status (docs/PRODUCT.md §Presence), in aggregation precedence order: online beats busy beats away beats offline. */
public enum Status {
  ONLINE, BUSY, AWAY, OFFLINE;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  /** The status named on the wire, or null for anything else. */
  public static Status parse(String wire) {
    if (wire == null) {
      return null;
    }
    for (Status status : values()) {
      if (status.wire.equals(wire)) {
        return status;
      }
    }
    return null;
  }

  /** A virtual user's status from its members' statuses: the highest-precedence one, offline when there are none. */
  public static Status aggregate(Iterable<Status> members) {
    Status best = OFFLINE;
    for (Status status : members) {
      if (status.ordinal() < best.ordinal()) {
        best = status;
      }
    }
    return best;
  }
}
