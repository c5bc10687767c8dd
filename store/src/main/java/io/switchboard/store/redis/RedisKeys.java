package io.switchboard.store.redis;

import java.util.List;

/**
 * The store's key layout. Keys are grouped by the one thing they belong to, and each group shares a hash tag,
 * so every script touches a single Redis Cluster slot:
 * <ul>
 *   <li>{@code sb:{u:<user>}:…} a user: profile, sessions, presence, revision, virtual users, mailbox,
 *       conversations;</li>
 *   <li>{@code sb:{v:<virtual user>}:…} a virtual user and everything one routing step reads or writes: the
 *       definition, copies of its members' profiles and status, loads, last assignments, the round-robin cursor,
 *       the decisions and the history of each source with it ({@code …:h:<source>});</li>
 *   <li>{@code sb:{c:<conversation>}:…} a conversation: its hash, sequence, transcript, closed marker;</li>
 *   <li>{@code sb:{n:<node>}:sessions} the sessions a node holds, and {@code sb:nodes} the node leases;</li>
 *   <li>{@code sb:directory} which ids are users and which virtual users.</li>
 * </ul>
 */
final class RedisKeys {

  static final String DIRECTORY = "sb:directory";
  static final String NODES = "sb:nodes";

  private RedisKeys() {
  }

  /**
   * An id as it appears in a key. Ids may hold any visible character; escaping braces keeps the hash tag the id's
   * own, and escaping the escape keeps distinct ids distinct.
   */
  private static String escape(String id) {
    return id.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
  }

  static UserKeys user(String id) {
    return new UserKeys("sb:{u:" + escape(id) + "}:");
  }

  static VirtualUserKeys virtualUser(String id) {
    return new VirtualUserKeys("sb:{v:" + escape(id) + "}:");
  }

  static ConversationKeys conversation(String id) {
    return new ConversationKeys("sb:{c:" + escape(id) + "}:");
  }

  static String sessionsOfNode(String node) {
    return "sb:{n:" + escape(node) + "}:sessions";
  }

  /** A user's keys. */
  record UserKeys(String prefix) {
    /** The profile: the user's JSON definition. */
    String profile() {
      return prefix + "profile";
    }

    /** Set of the ids of its open sessions. */
    String sessions() {
      return prefix + "sessions";
    }

    /** Hash: status (absent when offline) and activity. */
    String presence() {
      return prefix + "presence";
    }

    /** The revision of its profile and status, which its copies in virtual users follow. */
    String revision() {
      return prefix + "revision";
    }

    /** Set of the virtual users it is a member of. */
    String virtualUsers() {
      return prefix + "virtual-users";
    }

    /** List of message events queued while it had no session, oldest first. */
    String mailbox() {
      return prefix + "mailbox";
    }

    /** Set of the ids of its open conversations. */
    String conversations() {
      return prefix + "conversations";
    }

    /** Its handling rules document (JSON). */
    String rules() {
      return prefix + "rules";
    }

    /** Hash: rule id → until when an activation keeps it active (epoch ms). */
    String activations() {
      return prefix + "activations";
    }

    /** Hash: conversation id → when it last sent a closing there (epoch ms). */
    String closings() {
      return prefix + "closings";
    }

    /** List of message events its rules hold, oldest first. */
    String held() {
      return prefix + "held";
    }

    /** What its rules read to judge a message: rules, presence, activations, closings. */
    List<String> handling() {
      return List.of(rules(), presence(), activations(), closings());
    }

    /** What a member's snapshot is made of: profile, presence, revision, virtual users. */
    List<String> snapshot() {
      return List.of(profile(), presence(), revision(), virtualUsers());
    }
  }

  /** A virtual user's keys: every key one routing step touches. */
  record VirtualUserKeys(String prefix) {
    /** Hash: json (the definition), routing (the plan route.lua runs), retention (of its history, ms). */
    String definition() {
      return prefix + "def";
    }

    /** Hash member → copy of the member's profile JSON. */
    String members() {
      return prefix + "members";
    }

    /** Hash member → copy of the member's status (absent when offline). */
    String status() {
      return prefix + "status";
    }

    /** Hash member → revision of the member's snapshot the copies hold. */
    String revisions() {
      return prefix + "revisions";
    }

    /** Hash member → open (or offered) conversations. */
    String load() {
      return prefix + "load";
    }

    /** Hash member → when it was last assigned a conversation (epoch ms). */
    String assigned() {
      return prefix + "assigned";
    }

    /** The member the round-robin step chose last. */
    String roundRobin() {
      return prefix + "rr";
    }

    /** List of routing decisions, newest first. */
    String decisions() {
      return prefix + "decisions";
    }

    /** List of history records between {@code source} and this destination, newest first. */
    String history(String source) {
      return prefix + "h:" + escape(source);
    }

    /** The copies of members a snapshot updates: definition, members, status, revisions. */
    List<String> copies() {
      return List.of(definition(), members(), status(), revisions());
    }
  }

  /** A conversation's keys. */
  record ConversationKeys(String prefix) {
    /** Hash: source, destination, agent, revealAgent, openedAt. */
    String conversation() {
      return prefix + "conversation";
    }

    /** Present for a while after the conversation closed. */
    String closed() {
      return prefix + "closed";
    }

    /** The last sequence number given to a message. */
    String sequence() {
      return prefix + "seq";
    }

    /** List of messages (recipient, sender, seq, ts, body), oldest first. */
    String transcript() {
      return prefix + "transcript";
    }
  }
}
