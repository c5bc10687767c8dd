package io.switchboard.gateway;

import io.switchboard.contract.Addresses;
import io.switchboard.rules.RulesDocument;
import io.switchboard.store.RulesStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This node's copies of users' handling rules, so a message to a user without rules costs no extra store round
 * trip. A change anywhere is published on {@link Addresses#RULES_CHANGED} and drops the copy on every node,
 * so it applies from the next message on; so does a change of the server's default rules ({@code "defaults": true}).
 */
final class RulesCache {

  private static final int MAX_USERS = 10_000;

  private final RulesStore store;
  private final Map<String, Future<RulesDocument>> documents = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Future<RulesDocument>> eldest) {
      return size() > MAX_USERS;
    }
  };

  private Future<RulesDocument> defaults;

  RulesCache(RulesStore store) {
    this.store = store;
  }

  /** Listens for changes; completes once registered. */
  Future<Void> start(Vertx vertx) {
    return vertx.eventBus().<JsonObject>consumer(Addresses.RULES_CHANGED,
        msg -> {
          if (msg.body().getBoolean("defaults", false)) {
            defaults = null;
          } else {
            documents.remove(msg.body().getString("user"));
          }
        }).completion();
  }

  /** The server's default rules, applied after each user's own ({@link RulesDocument#SHIPPED_DEFAULTS} unless set). */
  Future<RulesDocument> defaults() {
    if (defaults == null || defaults.failed()) {
      defaults = store.defaultRules()
          .map(json -> json == null ? RulesDocument.SHIPPED_DEFAULTS : RulesDocument.defaultsFromJson(json));
    }
    return defaults;
  }

  /** The user's rules; {@link RulesDocument#EMPTY} when it has none. */
  Future<RulesDocument> of(String user) {
    Future<RulesDocument> document = documents.get(user);
    if (document == null || document.failed()) {
      document = store.rules(user).map(json -> json == null ? RulesDocument.EMPTY : RulesDocument.fromJson(json));
      documents.put(user, document);
    }
    return document;
  }
}
