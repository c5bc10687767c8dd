package io.switchboard.directory;

import io.vertx.core.json.JsonObject;

/**
 * A common user (possibly a member of virtual users): optional position, free attributes and, for members,
 * the most conversations it handles at once ({@code maxConversations}, null for unlimited).
 */
public record User(String id, String name, Geo geo, JsonObject attributes, Integer maxConversations) {

  public User {
    attributes = attributes == null ? new JsonObject() : attributes.copy();
  }

  /** Whether this user can take one more conversation on top of {@code load}. */
  public boolean hasRoomFor(int load) {
    return maxConversations == null || load < maxConversations;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id);
    if (name != null) {
      json.put("name", name);
    }
    if (geo != null) {
      json.put("geo", geo.toJson());
    }
    json.put("attributes", attributes.copy());
    if (maxConversations != null) {
      json.put("maxConversations", maxConversations);
    }
    return json;
  }

  public static User fromJson(JsonObject json) {
    Object max = json.getValue("maxConversations");
    if (max != null && !(max instanceof Integer || max instanceof Long)
        || max != null && (((Number) max).longValue() < 0 || ((Number) max).longValue() > Integer.MAX_VALUE)) {
      throw new InvalidDefinitionException("maxConversations must be a whole number from 0 to " + Integer.MAX_VALUE);
    }
    return new User(Json.id(json, "id"), Json.optionalString(json, "name"), Geo.fromJson(json.getValue("geo")),
        Json.optionalObject(json, "attributes"), max == null ? null : ((Number) max).intValue());
  }
}
