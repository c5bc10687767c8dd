package io.switchboard.contract;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Locale;

/**
 * What the modules count, whatever records it (docs/OPERATIONS.md lists each metric). A node with metrics installs
 * its implementation on its Vert.x instance before anything starts; modules look it up once with {@link #of} and
 * call it where the thing happens. Without metrics ({@code --metrics false}) they get {@link #NONE}, whose methods do
 * nothing and whose clock is never read. Tag values are the enums here, so every series is known in advance.
 */
public interface SwitchboardMetrics extends Shareable {

  /** Counts nothing. */
  SwitchboardMetrics NONE = new SwitchboardMetrics() { };

  /** The metrics installed on {@code vertx}, or {@link #NONE}. */
  static SwitchboardMetrics of(Vertx vertx) {
    Object installed = registry(vertx).get(SwitchboardMetrics.class.getName());
    return installed instanceof SwitchboardMetrics metrics ? metrics : NONE;
  }

  /** Makes {@code metrics} what {@link #of} answers on {@code vertx}. */
  static void install(Vertx vertx, SwitchboardMetrics metrics) {
    registry(vertx).put(SwitchboardMetrics.class.getName(), metrics);
  }

  private static LocalMap<String, Object> registry(Vertx vertx) {
    return vertx.sharedData().getLocalMap("switchboard.metrics");
  }

  /** A tag value: the enum's name in lower case. */
  interface TagValue {
    String name();

    default String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  enum Transport implements TagValue { WEBSOCKET, TCP }

  /** How an {@code auth} frame ended: a token refused or naming nobody is rejected; a store failure is failed. */
  enum Authentication implements TagValue { ACCEPTED, REJECTED, TIMED_OUT, FAILED }

  /** How an offer ended: answered, unanswered in time, or withdrawn (its open cancelled, its source or member gone). */
  enum OfferEnd implements TagValue { ACCEPTED, DECLINED, TIMED_OUT, WITHDRAWN }

  /**
   * Why a message was not handed to its recipient live: a rule dropped it, or kept it for the transcript only; or its
   * recipient's held messages or mailbox were full, and its sender was refused.
   */
  enum Drop implements TagValue { RULE, TRANSCRIPT_ONLY, HELD_FULL, MAILBOX_FULL }

  /**
   * What became of an observation for the adaptive manager: kept, kept in place of the user's oldest (the bound), not
   * sent because too many waited for the store, or not kept because the store failed.
   */
  enum Observed implements TagValue { RECORDED, TRIMMED, DROPPED, FAILED }

  /** A reading of the clock to pass back to the methods that time something; 0 when nothing is recorded. */
  default long now() {
    return 0;
  }

  /** A client connected. */
  default void connectionOpened(Transport transport) {
  }

  /** A client connection ended. */
  default void connectionClosed(Transport transport) {
  }

  default void authentication(Authentication result) {
  }

  /**
   * An open request ended for its client: {@code outcome} is {@code opened} or the error code's wire name;
   * {@code since} is {@link #now()} when the gateway received it.
   */
  default void openEnded(String outcome, long since) {
  }

  /** An open request started waiting in its destination's queue (it ends later like any other). */
  default void openQueued() {
  }

  /** A transfer request ended for its client: {@code outcome} is {@code transferred} or the error code's wire name. */
  default void transferEnded(String outcome) {
  }

  /** A live view was refused: the node served as many as it may. */
  default void liveViewRefused() {
  }

  /** A live view was closed because its client did not read what it was sent. */
  default void liveViewDropped() {
  }

  /** A router decided where a conversation to a virtual user goes: the policy step that selected, or null for none. */
  default void routingDecision(String step) {
  }

  /** An offer ended; {@code since} is {@link #now()} when it was made. */
  default void offerEnded(OfferEnd end, long since) {
  }

  /** A message was numbered and stored, and its sender acknowledged. */
  default void messageAcked() {
  }

  /** A message was sent on to the gateways of its connected recipient. */
  default void messageRelayed() {
  }

  /** A message was queued in the mailbox of a recipient without a connection. */
  default void messageQueued() {
  }

  /** A message was held by its recipient's rules. */
  default void messageHeld() {
  }

  /** Held messages were released to their recipient. */
  default void messagesReleased(int count) {
  }

  default void messageDropped(Drop reason) {
  }

  /** An observation of what a user received or sent ended so (docs/RULES.md § "Suggestions"). */
  default void observation(Observed outcome) {
  }

  /** A user connected and found {@code depth} messages waiting in its mailbox. */
  default void mailboxDrained(int depth) {
  }

  /**
   * A request to the shared store ended; {@code since} is {@link #now()} when it was sent, {@code failure} the code it
   * failed with when the store could not answer (null when it answered, a refusal included).
   */
  default void storeRequest(String operation, long since, ErrorCode failure) {
  }

  /** The node renewed its lease. */
  default void leaseRenewed() {
  }
}
