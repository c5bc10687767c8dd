package io.switchboard.routing;

import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.store.HistoryRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs a virtual user's policy chain over a {@link RoutingContext} (SPEC.md §3). A pure function: the store
 * calls it inside the step that also reserves the selected member's load, so selection and increment are atomic.
 */
public final class PolicyChain {

  /** SPEC.md §3 tie-break: fewest open conversations, then least recently assigned, then id. */
  public static final Comparator<Candidate> TIE_BREAK = Comparator.comparingInt(Candidate::load)
      .thenComparingLong(Candidate::lastAssigned)
      .thenComparing(Candidate::id);

  private PolicyChain() {
  }

  public static Selection select(Policy policy, RoutingContext context) {
    List<TraceEntry> trace = new ArrayList<>();
    for (PolicyStep step : policy.chain()) {
      StepResult result = run(step, policy, context);
      boolean selected = result.selected != null;
      trace.add(new TraceEntry(step.type(), selected ? TraceEntry.SELECTED : TraceEntry.PASSED, result.reason));
      if (selected) {
        return new Selection(result.selected, step.type(), trace);
      }
    }
    return new Selection(null, null, trace);
  }

  private record StepResult(String selected, String reason) {
  }

  private static StepResult run(PolicyStep step, Policy policy, RoutingContext context) {
    if (step instanceof PolicyStep.Sticky sticky) {
      return sticky(sticky, policy, context);
    }
    if (step instanceof PolicyStep.LeastLoad) {
      return leastLoad(policy, context);
    }
    throw new IllegalStateException("no implementation for step " + step.type());
  }

  /** Why a member cannot take this conversation now, or empty when it can. */
  private static Optional<String> unfit(Candidate candidate, Policy policy, RoutingContext context) {
    if (candidate.id().equals(context.source())) {
      return Optional.of(candidate.id() + " is the source itself");
    }
    if (context.excluded().contains(candidate.id())) {
      return Optional.of(candidate.id() + " was already offered this conversation");
    }
    if (!policy.isAvailable(candidate.status())) {
      return Optional.of(candidate.id() + " is " + candidate.status().wire());
    }
    if (!candidate.user().hasRoomFor(candidate.load())) {
      return Optional.of(candidate.id() + " is at capacity (" + candidate.load() + " of "
          + candidate.user().maxConversations() + ")");
    }
    return Optional.empty();
  }

  private static StepResult sticky(PolicyStep.Sticky step, Policy policy, RoutingContext context) {
    long oldest = context.now() - step.expiration().toMillis();
    HistoryRecord latest = context.history().stream()
        .filter(record -> record.ts() > oldest)
        .max(Comparator.comparingLong(HistoryRecord::ts))
        .orElse(null);
    if (latest == null) {
      return new StepResult(null, "no history record younger than " + step.expiration());
    }
    List<String> reasons = new ArrayList<>();
    Candidate best = null;
    for (String subUser : latest.subUsers()) {
      Candidate candidate = context.members().stream().filter(c -> c.id().equals(subUser)).findFirst().orElse(null);
      if (candidate == null) {
        reasons.add(subUser + " is no longer a member");
        continue;
      }
      Optional<String> unfit = unfit(candidate, policy, context);
      if (unfit.isPresent()) {
        reasons.add(unfit.get());
      } else if (best == null || TIE_BREAK.compare(candidate, best) < 0) {
        best = candidate;
      }
    }
    if (best == null) {
      return new StepResult(null, "latest record (" + latest.ts() + "): " + String.join("; ", reasons));
    }
    return new StepResult(best.id(), best.id() + " handled the latest record (" + latest.ts() + ")");
  }

  private static StepResult leastLoad(Policy policy, RoutingContext context) {
    Candidate best = context.members().stream()
        .filter(candidate -> unfit(candidate, policy, context).isEmpty())
        .min(TIE_BREAK)
        .orElse(null);
    if (best == null) {
      return new StepResult(null, "no member is available and under capacity");
    }
    return new StepResult(best.id(), best.id() + " has the least load (" + best.load() + ")");
  }
}
