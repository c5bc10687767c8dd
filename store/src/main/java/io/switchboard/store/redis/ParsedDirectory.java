package io.switchboard.store.redis;

import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node parsed of the directory, so that routing reads a virtual user's definition and its members'
 * profiles from Redis but parses them only when their revision changed, and knows which ids are virtual users
 * (an id never changes kind) without asking. Bounded (least recently used entries go first); shared by the event
 * loops of one node, so every method is synchronized (each is a map operation).
 */
final class ParsedDirectory {

  static final String USER = "user";
  static final String VIRTUAL = "virtual";

  private static final int MAX_ENTRIES = 20_000;

  /** A virtual user's definition as of a revision, with its members in directory order. */
  record Definition(String revision, VirtualUser virtualUser) {
    List<String> members() {
      return virtualUser.members();
    }
  }

  private record Profile(String revision, User user) {
  }

  private final Map<String, String> kinds = bounded();
  private final Map<String, Definition> definitions = bounded();
  private final Map<String, Profile> profiles = bounded();

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }

  /** {@link #USER}, {@link #VIRTUAL}, or null when not known here. */
  synchronized String kindOf(String id) {
    return kinds.get(id);
  }

  synchronized void learnKind(String id, String kind) {
    kinds.put(id, kind);
  }

  /** The definition last parsed here, or null. */
  synchronized Definition definition(String id) {
    return definitions.get(id);
  }

  /** The definition at {@code revision}: parsed from {@code json} unless this revision was parsed already. */
  synchronized Definition definition(String id, String revision, String json) {
    Definition known = definitions.get(id);
    if (known != null && known.revision().equals(revision)) {
      return known;
    }
    Definition parsed = new Definition(revision, VirtualUser.fromJson(new JsonObject(json)));
    definitions.put(id, parsed);
    return parsed;
  }

  /** A member's profile at {@code revision}: parsed from {@code json} unless this revision was parsed already. */
  synchronized User profile(String id, String revision, String json) {
    Profile known = profiles.get(id);
    if (known != null && known.revision().equals(revision)) {
      return known.user();
    }
    User parsed = json == null ? new User(id, null, null, null, null) : User.fromJson(new JsonObject(json));
    profiles.put(id, new Profile(revision, parsed));
    return parsed;
  }
}
