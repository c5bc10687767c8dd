package io.switchboard.store;

import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.Status;
import io.switchboard.contract.StatusRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What every store's handling rules must do. */
public abstract class RulesStoreContract extends StoreContract {

  @Test
  void rulesDocumentsActivationsAndClosingsMakeTheHandlingState() {
    connect("abc", "s1");
    setStatus("abc", Status.BUSY);
    RulesStore rules = stores.rules();
    assertNull(done(rules.rules("abc")));
    assertFails(ErrorCode.NOT_FOUND, rules.putRules("casper", new JsonObject()));
    JsonObject document = new JsonObject().put("rules", new JsonArray());
    done(rules.putRules("abc", document));
    assertEquals(document, done(rules.rules("abc")));

    done(rules.activate("abc", Map.of("quiet", T0 + 600_000)));
    done(rules.activate("abc", Map.of("quiet", T0 + 1_000, "night", T0 + 5_000)));
    done(rules.closingSent("abc", "c1", T0 + 10));
    HandlingState state = done(rules.handlingState("abc", "c1"));
    assertEquals(document, state.rules());
    assertEquals(Status.BUSY, state.status());
    assertEquals(Map.of("quiet", T0 + 600_000, "night", T0 + 5_000), state.activeUntil(), "the later end wins");
    assertEquals(T0 + 10, state.lastClosingSent());
    assertNull(done(rules.handlingState("abc", "c2")).lastClosingSent());
    assertEquals(Status.OFFLINE, done(rules.handlingState("xyz", "c1")).status());
  }

  @Test
  void theServersDefaultRulesAreNoneUntilSetThenTheLastSet() {
    RulesStore rules = stores.rules();
    assertNull(done(rules.defaultRules()));
    JsonObject quiet = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("id", "q")));
    done(rules.putDefaultRules(quiet));
    assertEquals(quiet, done(rules.defaultRules()));
    JsonObject none = new JsonObject().put("rules", new JsonArray());
    done(rules.putDefaultRules(none));
    assertEquals(none, done(rules.defaultRules()));
    assertNull(done(rules.rules("abc")), "no user's own rules");
  }

  @Test
  void feedbackIsKeptOldestFirstUpToItsLimitAndDismissalsOncePerKey() {
    RulesStore rules = stores.rules();
    assertEquals(new AdaptiveState(List.of(), List.of(), Set.of()), done(rules.adaptiveState("abc")));
    int given = RulesStore.FEEDBACK_LIMIT + 3;
    for (int i = 0; i < given; i++) {
      done(rules.addFeedback("abc", new JsonObject().put("sender", "carol").put("at", T0 + i)));
    }
    done(rules.dismiss("abc", "from:carol:silent"));
    done(rules.dismiss("abc", "closings:none"));
    done(rules.dismiss("abc", "from:carol:silent"));
    AdaptiveState state = done(rules.adaptiveState("abc"));
    assertEquals(RulesStore.FEEDBACK_LIMIT, state.feedback().size());
    assertEquals(T0 + 3, state.feedback().get(0).getLong("at"), "the oldest went first");
    assertEquals(T0 + given - 1, state.feedback().get(state.feedback().size() - 1).getLong("at"));
    assertEquals(Set.of("from:carol:silent", "closings:none"), state.dismissed());
    assertEquals(new AdaptiveState(List.of(), List.of(), Set.of()), done(rules.adaptiveState("bob")), "per user");
  }

  @Test
  void newRulesEndTheActivationsOfTheOldOnes() {
    RulesStore rules = stores.rules();
    done(rules.activate("abc", Map.of("quiet", T0 + 600_000)));
    done(rules.putRules("abc", new JsonObject().put("rules", new JsonArray())));
    assertEquals(Map.of(), done(rules.handlingState("abc", "c1")).activeUntil());
  }

  @Test
  void observationsAreStampedWithTheUsersStatusAndActivityAndKeptOldestFirstUpToTheirLimit() {
    RulesStore rules = stores.rules();
    JsonObject received = new JsonObject().put("kind", "received").put("conversation", "c1").put("seq", 1)
        .put("sender", "bob").put("closing", false).put("at", T0);
    assertEquals(0, observe("abc", received));
    connect("abc", "s1");
    done(stores.presence().setStatus(new StatusRequest("abc", Status.BUSY, "presenting")));
    JsonObject sent = new JsonObject().put("kind", "sent").put("conversation", "c1").put("seq", 2)
        .put("closing", true).put("at", T0 + 1).put("status", "online").put("activity", "driving");
    assertEquals(0, observe("abc", sent));
    assertEquals(List.of(received.copy().put("status", "offline"),
            sent.copy().put("status", "busy").put("activity", "presenting")),
        done(rules.adaptiveState("abc")).observations(), "the store's status, not what the caller said");

    for (int i = 2; i < RulesStore.OBSERVATION_LIMIT; i++) {
      assertEquals(0, observe("abc", received.copy().put("seq", i + 1)));
    }
    assertEquals(1, observe("abc", received.copy().put("seq", 5000)), "the oldest went");
    List<JsonObject> kept = done(rules.adaptiveState("abc")).observations();
    assertEquals(RulesStore.OBSERVATION_LIMIT, kept.size());
    assertEquals(sent.copy().put("status", "busy").put("activity", "presenting"), kept.get(0));
    assertEquals(5000, kept.get(kept.size() - 1).getLong("seq"));
    assertEquals(List.of(), done(rules.adaptiveState("bob")).observations(), "per user");
  }

  @Test
  void observationsOfSeveralUsersAreKeptInOneStepEachInTheOrderGiven() {
    RulesStore rules = stores.rules();
    connect("bob", "b1");
    JsonObject first = new JsonObject().put("kind", "sent").put("conversation", "c1").put("seq", 1).put("at", T0);
    JsonObject second = first.copy().put("seq", 2);
    Map<String, List<JsonObject>> batch = new LinkedHashMap<>();
    batch.put("abc", List.of(first, second));
    batch.put("bob", List.of(second));

    assertEquals(0, done(rules.observe(batch)));

    assertEquals(List.of(first.copy().put("status", "offline"), second.copy().put("status", "offline")),
        done(rules.adaptiveState("abc")).observations());
    assertEquals(List.of(second.copy().put("status", "online")), done(rules.adaptiveState("bob")).observations());
    List<JsonObject> many = IntStream.range(0, RulesStore.OBSERVATION_LIMIT + 5)
        .mapToObj(seq -> first.copy().put("seq", seq)).toList();
    assertEquals(7, done(rules.observe(Map.of("abc", many))), "the two kept before and the five first of these");
    assertEquals(5L, done(rules.adaptiveState("abc")).observations().get(0).getLong("seq"));
  }

  private int observe(String user, JsonObject observation) {
    return done(stores.rules().observe(Map.of(user, List.of(observation))));
  }
}
