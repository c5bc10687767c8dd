package io.switchboard.directory;

import io.vertx.core.json.JsonObject;

/** A geographic position in degrees. */
public record Geo(double lat, double lon) {

  public Geo {
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      throw new InvalidDefinitionException("geo must have lat in [-90, 90] and lon in [-180, 180]");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("lat", lat).put("lon", lon);
  }

  /** The position in {@code json}, or null when {@code json} is null. */
  public static Geo fromJson(Object json) {
    if (json == null) {
      return null;
    }
    if (!(json instanceof JsonObject object) || !(object.getValue("lat") instanceof Number lat)
        || !(object.getValue("lon") instanceof Number lon)) {
      throw new InvalidDefinitionException("geo must be an object with numeric lat and lon");
    }
    return new Geo(lat.doubleValue(), lon.doubleValue());
  }
}
