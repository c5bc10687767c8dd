package io.switchboard.directory;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * How opens wait when no member can take them (docs/POLICY.md § Queue): at most {@code maxWaiting} at once, each
 * for at most {@code maxWait}. An open whose priority is at least {@code bypassPriority} (null: none may) is let in
 * beyond {@code maxWaiting}, up to {@link #HARD_LIMIT}.
 */
public record QueuePolicy(int maxWaiting, Duration maxWait, Integer bypassPriority) {

  /** The most opens one virtual user's queue ever holds, bypass included: a queue is always bounded. */
  public static final int HARD_LIMIT = 10_000;
  /** The longest an open may wait: a queue is a matter of minutes or hours, and every wait has a deadline. */
  public static final Duration LONGEST_WAIT = Duration.ofHours(24);

  public QueuePolicy {
    if (maxWaiting < 1 || maxWaiting > HARD_LIMIT) {
      throw new InvalidDefinitionException("queue.maxWaiting must be a whole number from 1 to " + HARD_LIMIT);
    }
    if (maxWait.compareTo(LONGEST_WAIT) > 0) {
      throw new InvalidDefinitionException("queue.maxWait must be at most " + LONGEST_WAIT + ", not " + maxWait);
    }
  }

  /** Whether an open of this priority may wait once {@code waiting} opens already wait. */
  public boolean admits(int waiting, int priority) {
    if (waiting < maxWaiting) {
      return true;
    }
    return bypassPriority != null && priority >= bypassPriority && waiting < HARD_LIMIT;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("maxWaiting", maxWaiting).put("maxWait", maxWait.toString());
    return bypassPriority == null ? json : json.put("bypassPriority", bypassPriority);
  }

  static QueuePolicy fromJson(Object value) {
    if (!(value instanceof JsonObject json)) {
      throw new InvalidDefinitionException("queue must be an object with maxWaiting and maxWait");
    }
    if (!(json.getValue("maxWaiting") instanceof Integer maxWaiting)) {
      throw new InvalidDefinitionException("queue.maxWaiting must be a whole number from 1 to " + HARD_LIMIT);
    }
    Object maxWait = json.getValue("maxWait");
    if (maxWait == null) {
      throw new InvalidDefinitionException("queue.maxWait is required, e.g. PT10M");
    }
    Object bypass = json.getValue("bypassPriority");
    if (bypass != null && !(bypass instanceof Integer)) {
      throw new InvalidDefinitionException("queue.bypassPriority must be a whole number");
    }
    return new QueuePolicy(maxWaiting, Json.duration(maxWait, "queue.maxWait"), (Integer) bypass);
  }
}
