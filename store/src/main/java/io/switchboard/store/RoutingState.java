package io.switchboard.store;

import io.switchboard.contract.Status;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.directory.VirtualUser;

import java.util.List;

/**
 * What one routing decision reads about its destination, in one step: for a virtual user, its
 * definition, aggregated status, members (in directory order), the history between the source and it (newest
 * first, younger than its retention), the member the round-robin step chose last (null if none) and how many opens
 * wait in its queue ({@link QueueStore}; those taken out to be offered not counted), read in the same step, so that
 * a new open can tell whether others wait before it. {@code kind} says whether the destination is a virtual user, a
 * common user (offered directly) or nobody.
 */
public record RoutingState(Kind kind, VirtualUser virtualUser, Status status, List<MemberState> members,
                           List<HistoryRecord> history, String lastRoundRobin, int waiting) {

  public enum Kind { NOT_FOUND, COMMON_USER, VIRTUAL_USER }

  public static final RoutingState NOT_FOUND = new RoutingState(Kind.NOT_FOUND, null, null, List.of(), List.of(), null, 0);
  public static final RoutingState COMMON_USER =
      new RoutingState(Kind.COMMON_USER, null, null, List.of(), List.of(), null, 0);

  public RoutingState {
    members = List.copyOf(members);
    history = List.copyOf(history);
  }
}
