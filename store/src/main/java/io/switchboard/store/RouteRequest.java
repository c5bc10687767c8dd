package io.switchboard.store;

import io.switchboard.directory.Geo;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * One routing decision to make: {@code source} opens {@code conversation} with {@code destination};
 * {@code geo} and {@code attributes} are the open request's context (null / empty to use the source's profile);
 * {@code excluded} are the members already offered this conversation.
 */
public record RouteRequest(String conversation, String source, String destination, Geo geo, JsonObject attributes,
                           Set<String> excluded, long now) {

  public RouteRequest {
    excluded = Set.copyOf(excluded);
    attributes = attributes == null ? new JsonObject() : attributes;
  }
}
