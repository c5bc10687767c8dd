package io.switchboard.directory;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Locale;

/** One step of a virtual user's policy chain, in its JSON form (ADMIN-API.md); {@code PolicyChain} runs them. */
public sealed interface PolicyStep {

  String type();

  JsonObject toJson();

  /** Which member a {@link Sticky} step takes among those with a valid history record. */
  enum Among {
    LATEST, NEAREST;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The member who handled this source most recently, within {@code expiration}. */
  record Sticky(Duration expiration, Among among) implements PolicyStep {
    public static final Duration DEFAULT_EXPIRATION = Duration.ofHours(24);

    @Override
    public String type() {
      return "sticky";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("expiration", expiration.toString()).put("among", among.wire());
    }
  }

  /** The available member under capacity with the fewest open conversations. */
  record LeastLoad() implements PolicyStep {
    @Override
    public String type() {
      return "least-load";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", type());
    }
  }

  static PolicyStep fromJson(JsonObject json, String where) {
    Object type = json.getValue("type");
    if ("sticky".equals(type)) {
      Object expiration = json.getValue("expiration");
      Object among = json.getValue("among", "latest");
      if (!"latest".equals(among)) {
        throw new InvalidDefinitionException(where + ".among must be latest, not " + among);
      }
      return new Sticky(expiration == null ? Sticky.DEFAULT_EXPIRATION : Json.duration(expiration, where + ".expiration"),
          Among.LATEST);
    }
    if ("least-load".equals(type)) {
      return new LeastLoad();
    }
    throw new InvalidDefinitionException(where + ".type must be one of sticky, least-load; not " + type);
  }
}
