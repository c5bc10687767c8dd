package io.switchboard.store.redis;

import io.vertx.redis.client.Response;

import java.util.List;

/**
 * A member as its virtual users keep a copy of it: the user's profile (JSON) and status at one revision. Every
 * change of either gives the user a greater revision, and a copy only takes a newer snapshot, so the copies come
 * out right whatever order the per-virtual-user steps of concurrent changes run in.
 */
record MemberSnapshot(String revision, String profile, String status) {

  /** The snapshot a script returned as three elements from {@code at}: revision, profile (or nil), status. */
  static MemberSnapshot from(Response response, int at) {
    Response profile = response.get(at + 1);
    return new MemberSnapshot(response.get(at).toString(), profile == null ? null : profile.toString(),
        response.get(at + 2).toString());
  }

  /** The arguments that apply it to a virtual user's copy of {@code member}. */
  List<String> args(String member) {
    return List.of(member, revision, profile == null ? "" : profile, status);
  }
}
