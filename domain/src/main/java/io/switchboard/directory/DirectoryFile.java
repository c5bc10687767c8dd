package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The directory given at start: {@code {"users":[…],"virtualUsers":[…]}} (ADMIN-API.md), checked as a whole. */
public record DirectoryFile(List<User> users, List<VirtualUser> virtualUsers) {

  public DirectoryFile {
    users = List.copyOf(users);
    virtualUsers = List.copyOf(virtualUsers);
  }

  public static DirectoryFile fromJson(JsonObject json) {
    List<User> users = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (JsonObject entry : objects(json, "users")) {
      User user = User.fromJson(entry);
      if (!ids.add(user.id())) {
        throw new InvalidDefinitionException("users: " + user.id() + " is defined twice");
      }
      users.add(user);
    }
    Set<String> userIds = Set.copyOf(ids);
    List<VirtualUser> virtualUsers = new ArrayList<>();
    for (JsonObject entry : objects(json, "virtualUsers")) {
      VirtualUser virtualUser = VirtualUser.fromJson(entry);
      if (!ids.add(virtualUser.id())) {
        throw new InvalidDefinitionException("virtualUsers: " + virtualUser.id() + " is defined twice or is also a user");
      }
      for (String member : virtualUser.members()) {
        if (!userIds.contains(member)) {
          throw new InvalidDefinitionException("virtualUsers: member " + member + " of " + virtualUser.id() + " is not a user");
        }
      }
      virtualUsers.add(virtualUser);
    }
    Map<String, VirtualUser> byId = new HashMap<>();
    virtualUsers.forEach(virtualUser -> byId.put(virtualUser.id(), virtualUser));
    virtualUsers.forEach(virtualUser -> OverflowChains.check(virtualUser, byId));
    return new DirectoryFile(users, virtualUsers);
  }

  private static List<JsonObject> objects(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new InvalidDefinitionException(field + " must be an array");
    }
    List<JsonObject> objects = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject object)) {
        throw new InvalidDefinitionException(field + " must hold objects only");
      }
      objects.add(object);
    }
    return objects;
  }
}
