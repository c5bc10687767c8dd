package io.switchboard.store.redis;

import java.util.List;

/**
 * The store's key layout. Keys are grouped by the one thing they belong to, and each group shares a hash tag,
 * so every script touches a single Redis Cluster slot:
 * <ul>
 *   <li>{@code sb:{u:<user>}:…} a user: profile and capacity, sessions, presence, revision, virtual users, mailbox,
 *       conversations, rules, held messages, and what it holds as a member (its load) and as a source (its pending
 *       opens);</li>
 *   <li>{@code sb:{v:<virtual user>}:…} a virtual user and what a routing decision reads of it: the definition,
 *       copies of its members' profiles and status, last assignments, the round-robin cursor, the decisions and
 *       the history of each source with it ({@code …:h:<source>});</li>
 *   <li>{@code sb:{c:<conversation>}:…} a conversation: its hash, sequence, transcript, closed marker;</li>
 *   <li>{@code sb:{n:<node>}:…} the sessions a node holds and the reservations its router made;</li>
 *   <li>{@code sb:{cluster}:…} the node leases and the store's epoch, read and written together;</li>
 *   <li>{@code sb:directory} which ids are users and which virtual users.</li>
 * </ul>
 */
final class RedisKeys {

  static final String DIRECTORY = "sb:directory";
  /** The server's default rules document (docs/RULES.md), as JSON text; absent for the shipped defaults. */
  static final String DEFAULT_RULES = "sb:rules:defaults";
  static final String NODES = "sb:{cluster}:nodes";
  /** A random id written when the store is first used: a store that lost everything has none, or another. */
  static final String EPOCH = "sb:{cluster}:epoch";
  /** Nodes whose sessions an evictor is disconnecting (sorted set node -> until when, ms). */
  static final String EVICTIONS = "sb:{cluster}:evictions";

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

  static NodeKeys node(String id) {
    return new NodeKeys("sb:{n:" + escape(id) + "}:");
  }

  /** A user's keys. */
  record UserKeys(String prefix) {
    /** The profile: the user's JSON definition. */
    String profile() {
      return prefix + "profile";
    }

    /** Its maxConversations (absent when unlimited), for reservations to check without reading the profile. */
    String capacity() {
      return prefix + "capacity";
    }

    /** Hash: session id → the gateway that holds it. */
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

    /** List of its feedback on messages it received (JSON), oldest first: what the adaptive manager learns from. */
    String feedback() {
      return prefix + "feedback";
    }

    /** List of what it was seen to receive and send (JSON), oldest first: what the adaptive manager observes. */
    String observations() {
      return prefix + "observations";
    }

    /** List of the keys of the suggestions it dismissed, oldest first. */
    String dismissed() {
      return prefix + "dismissed";
    }

    /** List of message events its rules hold, oldest first. */
    String held() {
      return prefix + "held";
    }

    /**
     * Hash: {@code mailbox} / {@code held} → how many messages that full list refused since it was last emptied;
     * {@code held-unseen} → how many held ones it refused while the user had no session, told on its next one.
     */
    String refused() {
      return prefix + "refused";
    }

    /** Hash: conversation id → {@code open}, or {@code r:<node>} while reserved by that node's router. */
    String holdings() {
      return prefix + "holdings";
    }

    /** How many conversations it holds (the size of its holdings), beside them so routing reads many at once. */
    String load() {
      return prefix + "load";
    }

    /** Hash: the current second and how many offers it had in it. */
    String offers() {
      return prefix + "offers";
    }

    /** Hash: conversation id → {@code destination\nuntil} of its pending opens as a source. */
    String pendingOpens() {
      return prefix + "opening";
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

  /** A virtual user's keys: every key one routing decision reads or writes. */
  record VirtualUserKeys(String prefix) {
    /** Hash: json (the definition), members (one per line), revision, retention (of its history, ms). */
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

    /**
     * Sorted set of the opens waiting for it: score minus the priority, member {@code <arrival, 15 digits>:<key>},
     * so equal priorities keep arrival order (docs/POLICY.md § Queue).
     */
    String queue() {
      return prefix + "queue";
    }

    /** Hash: entry key → {@code <queue member>\n<entry JSON>}. */
    String queueEntries() {
      return prefix + "queue-entries";
    }

    /** Hash: entry key → {@code <node>\n<stored value>} of an entry taken out to be offered by that node's router. */
    String queueOffered() {
      return prefix + "queue-offered";
    }

    /** The last arrival number given to an entry of its queue. */
    String queueArrivals() {
      return prefix + "queue-arrivals";
    }

    /** List of how long its latest conversations lasted (ms), newest first. */
    String handlingTimes() {
      return prefix + "handling";
    }

    /** Its queue's keys: order, entries, arrivals, handling times, entries being offered. */
    List<String> queueKeys() {
      return List.of(queue(), queueEntries(), queueArrivals(), handlingTimes(), queueOffered());
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

    /** List of messages (recipient, sender, seq, ts, body, handling, notify, auto), oldest first. */
    String transcript() {
      return prefix + "transcript";
    }
  }

  /** A node's keys. */
  record NodeKeys(String prefix) {
    /** Set of the sessions it holds (SessionRef JSON). */
    String sessions() {
      return prefix + "sessions";
    }

    /** Set of {@code member\nconversation} reservations its router made and has not yet seen opened or released. */
    String reservations() {
      return prefix + "reservations";
    }
  }
}
