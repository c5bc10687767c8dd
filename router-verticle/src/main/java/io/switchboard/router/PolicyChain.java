package io.switchboard.router;

import io.switchboard.directory.Condition;
import io.switchboard.directory.Geo;
import io.switchboard.directory.Policy;
import io.switchboard.directory.PolicyStep;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.conversation.TraceEntry;
import io.switchboard.store.MemberState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a virtual user's policy chain over a {@link RoutingContext} (docs/POLICY.md). A pure function over a snapshot
 * of the routing state: the router then reserves the selected member in one atomic store step that checks again
 * that it is available and under capacity, and selects again on fresh state when it is not.
 * Every step considers only members that are available, under capacity, not yet tried and not the source.
 */
public final class PolicyChain {

  /**
   * The tie-break: fewest open conversations, then the more available status (online before busy before away,
   * the order {@link io.switchboard.contract.Status} aggregates in), then least recently assigned, then id.
   */
  public static final Comparator<MemberState> TIE_BREAK = Comparator.comparingInt(MemberState::load)
      .thenComparing(MemberState::status)
      .thenComparingLong(MemberState::lastAssigned)
      .thenComparing(MemberState::id);

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
    static StepResult passed(String reason) {
      return new StepResult(null, reason);
    }
  }

  private static StepResult run(PolicyStep step, Policy policy, RoutingContext context) {
    if (step instanceof PolicyStep.Sticky sticky) {
      return sticky(sticky, policy, context);
    }
    if (step instanceof PolicyStep.LeastLoad) {
      return leastLoad(eligible(policy, context), "no member is available and under capacity", "");
    }
    if (step instanceof PolicyStep.Nearest) {
      return nearest(eligible(policy, context), context.sourceGeo(), "no member is available and under capacity");
    }
    if (step instanceof PolicyStep.Match match) {
      return match(match, policy, context);
    }
    if (step instanceof PolicyStep.RoundRobin) {
      return roundRobin(policy, context);
    }
    if (step instanceof PolicyStep.Overflow overflow) {
      // The router carries the open over to the other virtual user (docs/POLICY.md § overflow).
      return StepResult.passed("nobody here can take it: it overflows to " + overflow.to()
          + (overflow.after() == null ? " at once" : " after waiting " + overflow.after()));
    }
    throw new IllegalStateException("no implementation for step " + step.type());
  }

  /** Why a member cannot take this conversation now, or empty when it can. */
  private static Optional<String> unfit(MemberState candidate, Policy policy, RoutingContext context) {
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

  private static List<MemberState> eligible(Policy policy, RoutingContext context) {
    return context.members().stream().filter(candidate -> unfit(candidate, policy, context).isEmpty()).toList();
  }

  private static StepResult sticky(PolicyStep.Sticky step, Policy policy, RoutingContext context) {
    // A record exactly the expiration old is still valid: "no more than" the expiration.
    long oldest = context.now() - step.expiration().toMillis();
    List<HistoryRecord> valid = context.history().stream()
        .filter(record -> record.ts() >= oldest)
        .sorted(Comparator.comparingLong(HistoryRecord::ts).reversed())
        .toList();
    if (valid.isEmpty()) {
      return StepResult.passed("no history record within " + step.expiration());
    }
    // LATEST considers the newest record's sub-users; NEAREST every sub-user of any valid record.
    Set<String> handlers = new LinkedHashSet<>(step.among() == PolicyStep.Among.LATEST
        ? valid.get(0).subUsers() : valid.stream().flatMap(record -> record.subUsers().stream()).toList());
    List<String> reasons = new ArrayList<>();
    List<MemberState> fit = new ArrayList<>();
    for (String handler : handlers) {
      Optional<MemberState> candidate = context.members().stream().filter(c -> c.id().equals(handler)).findFirst();
      if (candidate.isEmpty()) {
        reasons.add(handler + " is no longer a member");
        continue;
      }
      Optional<String> unfit = unfit(candidate.get(), policy, context);
      unfit.ifPresentOrElse(reasons::add, () -> fit.add(candidate.get()));
    }
    String unfitReasons = reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")";
    if (step.among() == PolicyStep.Among.NEAREST) {
      return nearest(fit, context.sourceGeo(), "no member with a valid record can take it" + unfitReasons);
    }
    if (fit.isEmpty()) {
      return StepResult.passed("the latest record (" + valid.get(0).ts() + ") names no member that can take it" + unfitReasons);
    }
    MemberState best = fit.stream().min(TIE_BREAK).orElseThrow();
    return new StepResult(best.id(), best.id() + " handled the latest record (" + valid.get(0).ts() + ")");
  }

  private static StepResult leastLoad(List<MemberState> candidates, String whyNone, String qualifier) {
    return candidates.stream().min(TIE_BREAK)
        .map(best -> new StepResult(best.id(), best.id() + qualifier + " has the least load (" + best.load() + ")"))
        .orElseGet(() -> StepResult.passed(whyNone));
  }

  private static StepResult nearest(List<MemberState> candidates, Geo source, String whyNone) {
    if (source == null) {
      return StepResult.passed("the source has no position (no context.geo and none in its profile)");
    }
    if (candidates.isEmpty()) {
      return StepResult.passed(whyNone);
    }
    Comparator<MemberState> byDistance = Comparator.comparingDouble(c -> c.user().geo().distanceKm(source));
    return candidates.stream().filter(c -> c.user().geo() != null).min(byDistance.thenComparing(TIE_BREAK))
        // Locale.ROOT: a trace reads the same on every node
        .map(best -> new StepResult(best.id(), String.format(Locale.ROOT, "%s is nearest (%.1f km)", best.id(),
            best.user().geo().distanceKm(source))))
        .orElseGet(() -> StepResult.passed("no member that can take it has a position"));
  }

  private static StepResult match(PolicyStep.Match step, Policy policy, RoutingContext context) {
    for (Condition condition : step.when()) {
      if (!condition.test(context.sourceAttributes(), context.sourceAttributes())) {
        return StepResult.passed("the source does not satisfy " + condition);
      }
    }
    List<MemberState> matching = eligible(policy, context).stream()
        .filter(candidate -> step.select().stream()
            .allMatch(condition -> condition.test(candidate.user().attributes(), context.sourceAttributes())))
        .toList();
    String selectText = step.select().stream().map(Condition::toString).collect(Collectors.joining(" and "));
    return leastLoad(matching, "no available member under capacity satisfies " + selectText,
        " satisfies " + selectText + " and");
  }

  private static StepResult roundRobin(Policy policy, RoutingContext context) {
    List<MemberState> members = context.members();
    int last = -1;
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).id().equals(context.lastRoundRobin())) {
        last = i;
      }
    }
    for (int offset = 1; offset <= members.size(); offset++) {
      MemberState candidate = members.get((last + offset) % members.size());
      if (unfit(candidate, policy, context).isEmpty()) {
        return new StepResult(candidate.id(), candidate.id() + " is next in turn"
            + (context.lastRoundRobin() == null ? "" : " after " + context.lastRoundRobin()));
      }
    }
    return StepResult.passed("no member is available and under capacity");
  }
}
