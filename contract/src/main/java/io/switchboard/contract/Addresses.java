package io.switchboard.contract;

/**
 * Every event-bus address Switchboard uses, dotted by the module that consumes it.
 * Requests go point to point; only fan-out ({@link #PRESENCE_CHANGED}, {@link #NODE_EVICTED},
 * {@link #RULES_CHANGED}) is published.
 */
public final class Addresses {

  /** Presence verticle: a session of a user connected. Body: {@link SessionRef}, reply: empty. */
  public static final String PRESENCE_CONNECT = "switchboard.presence.connect";
  /** Presence verticle: a session of a user went away. Body: {@link SessionRef}, reply: empty. */
  public static final String PRESENCE_DISCONNECT = "switchboard.presence.disconnect";
  /** Presence verticle: a user set its status. Body: {@link StatusRequest}, reply: empty. */
  public static final String PRESENCE_SET = "switchboard.presence.set";
  /** Presence verticle: current status of users. Body: {@code {"users":[…]}}, reply {@code {"presence":[PresenceChange…]}}. */
  public static final String PRESENCE_QUERY = "switchboard.presence.query";
  /** Published by the presence verticle for every change of a user's or virtual user's status. Body: {@link PresenceChange}. */
  public static final String PRESENCE_CHANGED = "switchboard.presence.changed";
  /**
   * Published when a node is evicted: its lease ran out, it gave it up on a planned stop, or it started again under
   * the same id. Its sessions are disconnected by then; requests waiting on it fail over or fail fast, and the
   * routers give back the reservations it made. Body: {@code {"node"}}.
   */
  public static final String NODE_EVICTED = "switchboard.node.evicted";

  /**
   * Router verticle: open a conversation. Body: {@link OpenRequest}; the reply ({@link OpenAccepted}) comes at once
   * and names the router's node; the outcome follows as an {@link OpenOutcome} to the requesting gateway.
   */
  public static final String ROUTER_OPEN = "switchboard.router.open";
  /**
   * Router role: hand an open conversation to another member or virtual user. Body: {@link TransferRequest}; like an
   * open, the reply ({@link OpenAccepted}) comes at once and the outcome follows as an {@link OpenOutcome}.
   */
  public static final String ROUTER_TRANSFER = "switchboard.router.transfer";
  /**
   * Router verticle, any: withdraw an open waiting in a queue when the router that queued it is gone. Body:
   * {@link CancelOpen}, reply: empty; fails {@code gone} when the open no longer waits.
   */
  public static final String ROUTER_CANCEL = "switchboard.router.cancel";
  /**
   * Router verticle, on the same node: {@code member} freed capacity without a close (a transfer handed its
   * conversation on, or an offer of a transfer fell through), so the queues it serves are served. Body:
   * {@code {"member"}}, no reply.
   */
  public static final String ROUTER_FREED = "switchboard.router.freed";
  /** Router verticle: close a conversation. Body: {@link CloseRequest}, reply: empty. */
  public static final String ROUTER_CLOSE = "switchboard.router.close";

  /**
   * Published when a user or virtual user is created or replaced, so every node's copy of the directory follows (the
   * copy a store that lost everything gets back). Body: {@code {"user":{…}}} or {@code {"virtualUser":{…}}}.
   */
  public static final String DIRECTORY_CHANGED = "switchboard.directory.changed";

  /**
   * Published when a user's handling rules change, so every node drops its cached copy, or the server's default rules
   * do. Body: {@code {"user"}} or {@code {"defaults": true}}.
   */
  public static final String RULES_CHANGED = "switchboard.rules.changed";

  /**
   * Rules verticle: a user's own status changed (sent by presence, to one rules verticle): the rules it activates,
   * then its held messages are checked. Body: {@link PresenceChange}.
   */
  public static final String RULES_STATUS = "switchboard.rules.status";
  /**
   * Rules verticle: a conversation closed (sent by the router): the rules it activates for each party. Body:
   * {@code {"conversation", "users": [source, agent]}}.
   */
  public static final String RULES_CLOSED = "switchboard.rules.closed";
  /**
   * Rules verticle: check whether a user's held messages are still held (its activity changed, or a message was just
   * held: then the body names it, so that the end of its hold is timed). Body: {@code {"user", "message": {…}?}}.
   */
  public static final String RULES_CHECK_HOLDS = "switchboard.rules.check-holds";

  /**
   * Published by the admin API to learn the cluster's nodes: every node sends {@code {"node","roles":[…],
   * "connections"}} (its open client connections) to the body's {@code "replyTo"} address. Body: {@code {"replyTo"}}.
   */
  public static final String NODE_CENSUS = "switchboard.node.census";

  /**
   * The type of the event a router publishes on {@link #live} when a virtual user's queue changed: the live views read
   * the queue afresh rather than passing it on.
   */
  public static final String LIVE_QUEUE_CHANGED = "queue-changed";

  private static final String ROUTER_CANCEL_PREFIX = "switchboard.router.cancel.";
  private static final String ROUTER_ANSWER_PREFIX = "switchboard.router.answer.";
  private static final String LIVE_PREFIX = "switchboard.live.";
  private static final String GATEWAY_PREFIX = "switchboard.gateway.";

  private Addresses() {
  }

  /**
   * Where the gateway sends {@link AnswerRequest}s for the offers one router instance made;
   * the offer itself names it, so an answer reaches the router that waits for it.
   */
  public static String routerAnswer(String routerId) {
    return ROUTER_ANSWER_PREFIX + routerId;
  }

  /**
   * Published for the supervisors' live view of one virtual user (docs/ADMIN-API.md): its conversations opened,
   * closed and transferred, and its routing decisions, as they happen on any node; only nodes serving a live view of
   * it listen. Body: {@code {"type":…,"ts":…,…}}.
   */
  public static String live(String virtualUser) {
    return LIVE_PREFIX + virtualUser;
  }

  /**
   * The router of {@code node}: withdraw an open it routes, or one waiting in a queue. Body: {@link CancelOpen},
   * reply: empty; fails {@code gone} when the open no longer waits.
   */
  public static String routerCancel(String node) {
    return ROUTER_CANCEL_PREFIX + node;
  }

  /**
   * One gateway verticle's inbox: {@link GatewayMessage}s for the sessions it holds. The store records which
   * gateway holds each session, so events go to exactly the gateways of their recipient, and a gateway's address
   * is registered once, when it starts, not once per connected user.
   */
  public static String gateway(String gatewayId) {
    return GATEWAY_PREFIX + gatewayId;
  }
}
