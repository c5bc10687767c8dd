package io.switchboard.store;

import io.switchboard.contract.Status;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A virtual user's aggregated status with each member's status, load and capacity (ADMIN-API.md {@code /status}). */
public record VirtualUserStatus(String id, Status status, List<Member> members) {

  public VirtualUserStatus {
    members = List.copyOf(members);
  }

  /** One member: {@code maxConversations} is null for unlimited. */
  public record Member(String id, Status status, int load, Integer maxConversations) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("status", status.wire()).put("load", load)
          .put("maxConversations", maxConversations);
    }
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    members.forEach(member -> array.add(member.toJson()));
    return new JsonObject().put("id", id).put("status", status.wire()).put("members", array);
  }
}
