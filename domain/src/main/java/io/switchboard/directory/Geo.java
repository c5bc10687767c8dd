package io.switchboard.directory;

import io.vertx.core.json.JsonObject;

/** A geographic position in degrees. */
public record Geo(double lat, double lon) {

  public Geo {
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      throw new InvalidDefinitionException("geo must have lat in [-90, 90] and lon in [-180, 180]");
    }
  }

  private static final double EARTH_RADIUS_KM = 6371.0088;

  /** Great-circle distance in kilometres (haversine). */
  public double distanceKm(Geo other) {
    double dLat = Math.toRadians(other.lat - lat);
    double dLon = Math.toRadians(other.lon - lon);
    double a = Math.pow(Math.sin(dLat / 2), 2)
        + Math.cos(Math.toRadians(lat)) * Math.cos(Math.toRadians(other.lat)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
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
