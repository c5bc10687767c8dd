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
 * How a virtual user picks a member (docs/POLICY.md): which member statuses count as available, the chain of
 * steps, how long an offer waits, how many offers one open may make, whether the agent is revealed, and how opens
 * wait when nobody can take them ({@code queue}, null: they are refused at once) and when it is open ({@code hours},
 * null: always).
 */
public record Policy(Set<Status> availableStatuses, List<PolicyStep> chain, Duration offerTimeout, int maxOffers,
                     boolean revealAgent, QueuePolicy queue, Hours hours) {

  public static final Set<Status> DEFAULT_AVAILABLE = Set.copyOf(EnumSet.of(Status.ONLINE, Status.BUSY, Status.AWAY));
  public static final List<PolicyStep> DEFAULT_CHAIN =
      List.of(new PolicyStep.Sticky(Duration.ofHours(24), PolicyStep.Among.LATEST), new PolicyStep.LeastLoad());
  public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_MAX_OFFERS = 3;
  public static final Policy DEFAULT =
      new Policy(DEFAULT_AVAILABLE, DEFAULT_CHAIN, DEFAULT_OFFER_TIMEOUT, DEFAULT_MAX_OFFERS, false);

  /** A policy without a queue. */
  public Policy(Set<Status> availableStatuses, List<PolicyStep> chain, Duration offerTimeout, int maxOffers,
                boolean revealAgent) {
    this(availableStatuses, chain, offerTimeout, maxOffers, revealAgent, null, null);
  }

  public Policy {
    availableStatuses = Set.copyOf(availableStatuses);
    chain = List.copyOf(chain);
    if (availableStatuses.contains(Status.OFFLINE)) {
      throw new InvalidDefinitionException("availableStatuses cannot include offline: an offline member cannot take an offer");
    }
    if (maxOffers < 1) {
      throw new InvalidDefinitionException("maxOffers must be at least 1");
    }
    for (int i = 0; i < chain.size() - 1; i++) {
      if (chain.get(i) instanceof PolicyStep.Overflow) {
        throw new InvalidDefinitionException("chain[" + i + "]: overflow must be the last step");
      }
    }
    // (fields are assigned after this block: read the parameters)
    if (!chain.isEmpty() && chain.get(chain.size() - 1) instanceof PolicyStep.Overflow overflow
        && overflow.after() != null && queue == null) {
      throw new InvalidDefinitionException("chain[" + (chain.size() - 1) + "].after needs a queue to wait in; "
          + "set queue or leave after out to overflow at once");
    }
    if (hours != null && hours.queueWhenClosed() && queue == null) {
      throw new InvalidDefinitionException("hours.whenClosed queue needs a queue to wait in; set queue or refuse");
    }
  }

  /** The overflow step that ends the chain, or null. */
  public PolicyStep.Overflow overflow() {
    return !chain.isEmpty() && chain.get(chain.size() - 1) instanceof PolicyStep.Overflow overflow ? overflow : null;
  }

  /**
   * How many of a source's newest history records with this virtual user its routing reads: none without a sticky
   * step, the newest alone when every sticky step looks at the latest record, else all that are kept. A routing
   * reads the store once per open, so what it does not need it does not fetch.
   */
  public int historyNeeded() {
    int needed = 0;
    for (PolicyStep step : chain) {
      if (step instanceof PolicyStep.Sticky sticky) {
        if (sticky.among() != PolicyStep.Among.LATEST) {
          return Integer.MAX_VALUE;
        }
        needed = 1;
      }
    }
    return needed;
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
    JsonObject json = new JsonObject().put("availableStatuses", statuses).put("chain", steps)
        .put("offerTimeout", offerTimeout.toString()).put("maxOffers", maxOffers).put("revealAgent", revealAgent);
    if (queue != null) {
      json.put("queue", queue.toJson());
    }
    if (hours != null) {
      json.put("hours", hours.toJson());
    }
    return json;
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
    Object queue = json.getValue("queue");
    Object hours = json.getValue("hours");
    Object reveal = json.getValue("revealAgent");
    if (reveal != null && !(reveal instanceof Boolean)) {
      throw new InvalidDefinitionException("revealAgent must be true or false");
    }
    return new Policy(statuses, chain,
        timeout == null ? DEFAULT_OFFER_TIMEOUT : Json.duration(timeout, "offerTimeout"),
        maxOffers == null ? DEFAULT_MAX_OFFERS : (Integer) maxOffers,
        Boolean.TRUE.equals(reveal), queue == null ? null : QueuePolicy.fromJson(queue),
        hours == null ? null : Hours.fromJson(hours));
  }
}
