package io.switchboard.directory;

import io.switchboard.contract.Status;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a virtual user picks a member (SPEC.md §3): which member statuses count as available, the chain of
 * steps, how long an offer waits, how many offers one open may make, and whether the agent is revealed.
 */
public record Policy(Set<Status> availableStatuses, List<PolicyStep> chain, Duration offerTimeout, int maxOffers,
                     boolean revealAgent) {

  public static final Set<Status> DEFAULT_AVAILABLE = Set.copyOf(EnumSet.of(Status.ONLINE, Status.BUSY, Status.AWAY));
  public static final List<PolicyStep> DEFAULT_CHAIN =
      List.of(new PolicyStep.Sticky(Duration.ofHours(24), PolicyStep.Among.LATEST), new PolicyStep.LeastLoad());
  public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_MAX_OFFERS = 3;
  public static final Policy DEFAULT =
      new Policy(DEFAULT_AVAILABLE, DEFAULT_CHAIN, DEFAULT_OFFER_TIMEOUT, DEFAULT_MAX_OFFERS, false);

  public Policy {
    availableStatuses = Set.copyOf(availableStatuses);
    chain = List.copyOf(chain);
    if (availableStatuses.contains(Status.OFFLINE)) {
      throw new InvalidDefinitionException("availableStatuses cannot include offline: an offline member cannot take an offer");
    }
    if (maxOffers < 1) {
      throw new InvalidDefinitionException("maxOffers must be at least 1");
    }
  }

  public boolean isAvailable(Status status) {
    return availableStatuses.contains(status);
  }

  public JsonObject toJson() {
    JsonArray statuses = new JsonArray();
    for (Status status : Status.values()) {
      if (availableStatuses.contains(status)) {
        statuses.add(status.wire());
      }
    }
    JsonArray steps = new JsonArray();
    chain.forEach(step -> steps.add(step.toJson()));
    return new JsonObject().put("availableStatuses", statuses).put("chain", steps)
        .put("offerTimeout", offerTimeout.toString()).put("maxOffers", maxOffers).put("revealAgent", revealAgent);
  }

  /** Reads a policy; every field may be left out and takes its default. */
  public static Policy fromJson(JsonObject json) {
    Set<Status> statuses = DEFAULT_AVAILABLE;
    Object statusValue = json.getValue("availableStatuses");
    if (statusValue != null) {
      if (!(statusValue instanceof JsonArray array) || array.isEmpty()) {
        throw new InvalidDefinitionException("availableStatuses must be a non-empty array of online, busy, away");
      }
      statuses = EnumSet.noneOf(Status.class);
      for (Object item : array) {
        Status status = item instanceof String wire ? Status.parse(wire) : null;
        if (status == null || status == Status.OFFLINE) {
          throw new InvalidDefinitionException("availableStatuses may hold online, busy, away; not " + item);
        }
        statuses.add(status);
      }
    }
    List<PolicyStep> chain = DEFAULT_CHAIN;
    Object chainValue = json.getValue("chain");
    if (chainValue != null) {
      if (!(chainValue instanceof JsonArray array) || array.isEmpty()) {
        throw new InvalidDefinitionException("chain must be a non-empty array of steps");
      }
      chain = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof JsonObject step)) {
          throw new InvalidDefinitionException("chain[" + i + "] must be an object");
        }
        chain.add(PolicyStep.fromJson(step, "chain[" + i + "]"));
      }
    }
    Object timeout = json.getValue("offerTimeout");
    Object maxOffers = json.getValue("maxOffers");
    if (maxOffers != null && !(maxOffers instanceof Integer)) {
      throw new InvalidDefinitionException("maxOffers must be a whole number of at least 1");
    }
    Object reveal = json.getValue("revealAgent");
    if (reveal != null && !(reveal instanceof Boolean)) {
      throw new InvalidDefinitionException("revealAgent must be true or false");
    }
    return new Policy(statuses, chain,
        timeout == null ? DEFAULT_OFFER_TIMEOUT : Json.duration(timeout, "offerTimeout"),
        maxOffers == null ? DEFAULT_MAX_OFFERS : (Integer) maxOffers,
        Boolean.TRUE.equals(reveal));
  }
}
