package io.switchboard.contract;

/**
 * Every event-bus address Switchboard uses, dotted by the module that consumes it.
 * Requests go point to point; only fan-out ({@link #PRESENCE_CHANGED}, {@link #user}) is published.
 */
public final class Addresses {

  /** Presence verticle: a session of a user connected. Body: {@code {"user","session"}}. */
  public static final String PRESENCE_CONNECT = "switchboard.presence.connect";
  /** Presence verticle: a session of a user went away. Body: {@code {"user","session"}}. */
  public static final String PRESENCE_DISCONNECT = "switchboard.presence.disconnect";
  /** Presence verticle: a user set its status. Body: {@code {"user","status","activity"}}. */
  public static final String PRESENCE_SET = "switchboard.presence.set";
  /** Presence verticle: current status of users. Body: {@code {"users":[…]}}, reply {@code {"presence":[PresenceChange…]}}. */
  public static final String PRESENCE_QUERY = "switchboard.presence.query";
  /** Published by the presence verticle for every change of a user's or virtual user's status. Body: {@link PresenceChange}. */
  public static final String PRESENCE_CHANGED = "switchboard.presence.changed";

  /** Router verticle: open a conversation. Body: {@link OpenRequest}, reply {@link OpenResult}. */
  public static final String ROUTER_OPEN = "switchboard.router.open";
  /** Router verticle: close a conversation. Body: {@link CloseRequest}. */
  public static final String ROUTER_CLOSE = "switchboard.router.close";
  /**
   * Router verticle: a user's connections died with their node; close its conversations now rather than after
   * the disconnect grace. Body: {@code {"user"}}.
   */
  public static final String ROUTER_NODE_LOST = "switchboard.router.node-lost";

  /**
   * Published when a user's handling rules change, so every node drops its cached copy. Body: {@code {"user"}}.
   */
  public static final String RULES_CHANGED = "switchboard.rules.changed";

  private static final String ROUTER_ANSWER_PREFIX = "switchboard.router.answer.";
  private static final String USER_PREFIX = "switchboard.user.";

  private Addresses() {
  }

  /**
   * Where the gateway sends {@link AnswerRequest}s for the offers one router instance made;
   * the offer itself names it, so an answer reaches the router that waits for it.
   */
  public static String routerAnswer(String routerId) {
    return ROUTER_ANSWER_PREFIX + routerId;
  }

  /** Published to every connection of a user, on whichever nodes it is connected. Body: a {@link UserEvent}. */
  public static String user(String userId) {
    return USER_PREFIX + userId;
  }
}
