package io.switchboard.store;

import io.switchboard.contract.Status;
import io.switchboard.directory.Policy;

/**
 * What the store's routing step found. For a virtual user that is available it holds the decision, whose
 * selected member (if any) already carries the reserved load; the policy says how to offer.
 */
public record RouteOutcome(Kind kind, Policy policy, RouteDecision decision, Status status) {

  public enum Kind {
    /** No user or virtual user has that id. */
    NOT_FOUND,
    /** A common user: offer it directly; {@code status} is its status. */
    COMMON_USER,
    /** A virtual user whose aggregated status is not in its available statuses; {@code status} is that status. */
    UNAVAILABLE,
    /** A virtual user: the chain ran; {@code decision.selected()} is null when no member could take it. */
    ROUTED
  }

  public static RouteOutcome notFound() {
    return new RouteOutcome(Kind.NOT_FOUND, null, null, null);
  }

  public String selected() {
    return decision == null ? null : decision.selected();
  }
}
