package io.switchboard.store;

import io.switchboard.directory.Geo;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * One routing decision to make: {@code source} opens {@code conversation} with {@code destination};
 * {@code geo} (null when unknown) and {@code attributes} are the source's, its profile overlaid by the open
 * request's context (the gateway knows the profile from authentication);
 * {@code excluded} are the members already offered this conversation.
 */
public record RouteRequest(String conversation, String source, String destination, Geo geo, JsonObject attributes,
                           Set<String> excluded, long now) {

  public RouteRequest {
    excluded = Set.copyOf(excluded);
    attributes = attributes == null ? new JsonObject() : attributes;
  }
}
