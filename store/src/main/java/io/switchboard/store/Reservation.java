package io.switchboard.store;

import io.switchboard.contract.Status;

import java.util.Set;

/**
 * A request to reserve one unit of {@code member}'s capacity for {@code conversation}, made by the router of
 * {@code node}: granted only if the member's status is one of {@code available}, it is under its capacity, it has not
 * been offered this conversation already and it was offered fewer than {@code offersPerSecond} conversations in the
 * current second. A reservation held by a node that dies is released with the node's lease.
 */
public record Reservation(String member, String conversation, Set<Status> available, String node,
                          int offersPerSecond, long now) {

  public Reservation {
    available = Set.copyOf(available);
  }
}
