package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * {@code directory}: writes the directory file the load scenarios expect (ADMIN-API.md format, for the node's
 * {@code --directory}): S sources, V virtual users of M members each, members with a capacity that does not
 * limit the scenarios, and one policy chain for every virtual user. Positions and attributes are drawn from a
 * fixed seed, so the same options always give the same file.
 */
final class DirectoryCommand {

  static final Map<String, String> OPTIONS = Options.table(
      "sources", "source users src-1…src-S (default 100; the idle scenario logs in as these too)",
      "virtual-users", "virtual users vu-1…vu-V (default 10)",
      "members", "members per virtual user, vu-v-m-1…vu-v-m-M (default 10)",
      "capacity", "maxConversations of every member (default 1000000: not a limit)",
      "chain", "the policy chain: sticky-least-load ([sticky PT24H latest, least-load], the default chain of "
          + "docs/POLICY.md) or match-nearest ([match level>=3 → tier=senior, nearest])",
      "offer-timeout", "the virtual users' offerTimeout, ISO-8601 (default PT15S)");

  static final String CHAIN_STICKY = "sticky-least-load";
  static final String CHAIN_MATCH = "match-nearest";

  private DirectoryCommand() {
  }

  static JsonObject generate(Options options) {
    int sources = options.integer("sources", 100, 0);
    int virtualUsers = options.integer("virtual-users", 10, 0);
    int members = options.integer("members", 10, 1);
    int capacity = options.integer("capacity", 1_000_000, 1);
    String chainName = options.string("chain", CHAIN_STICKY);
    JsonObject policy = new JsonObject()
        .put("availableStatuses", new JsonArray().add("online").add("busy").add("away"))
        .put("chain", chain(chainName))
        .put("offerTimeout", options.duration("offer-timeout", Duration.ofSeconds(15)).toString())
        .put("maxOffers", 3)
        .put("revealAgent", false);
    Random random = new Random(42);
    JsonArray users = new JsonArray();
    for (int s = 1; s <= sources; s++) {
      users.add(new JsonObject().put("id", Names.source(s)).put("geo", geo(random))
          .put("attributes", new JsonObject().put("level", 1 + random.nextInt(5))));
    }
    JsonArray virtuals = new JsonArray();
    for (int v = 1; v <= virtualUsers; v++) {
      JsonArray memberIds = new JsonArray();
      for (int m = 1; m <= members; m++) {
        String id = Names.member(v, m);
        memberIds.add(id);
        users.add(new JsonObject().put("id", id).put("geo", geo(random))
            .put("attributes", new JsonObject().put("tier", m % 2 == 1 ? "senior" : "junior"))
            .put("maxConversations", capacity));
      }
      virtuals.add(new JsonObject().put("id", Names.virtualUser(v)).put("members", memberIds).put("policy", policy.copy()));
    }
    return new JsonObject().put("users", users).put("virtualUsers", virtuals);
  }

  private static JsonArray chain(String name) {
    if (CHAIN_STICKY.equals(name)) {
      return new JsonArray()
          .add(new JsonObject().put("type", "sticky").put("expiration", "PT24H").put("among", "latest"))
          .add(new JsonObject().put("type", "least-load"));
    }
    if (CHAIN_MATCH.equals(name)) {
      return new JsonArray()
          .add(new JsonObject().put("type", "match")
              .put("when", new JsonArray().add(new JsonObject().put("attribute", "level").put("op", ">=").put("value", 3)))
              .put("select", new JsonArray().add(new JsonObject().put("attribute", "tier").put("op", "=").put("value", "senior"))))
          .add(new JsonObject().put("type", "nearest"));
    }
    throw new Options.InvalidOptionException("--chain is " + CHAIN_STICKY + " or " + CHAIN_MATCH + ", not " + name);
  }

  private static JsonObject geo(Random random) {
    // Rounded to 0.01°, about a kilometre: enough for "nearest", and the file stays small.
    double lat = Math.round((random.nextDouble() * 120 - 60) * 100) / 100.0;
    double lon = Math.round((random.nextDouble() * 360 - 180) * 100) / 100.0;
    return new JsonObject().put("lat", lat).put("lon", lon);
  }
}
