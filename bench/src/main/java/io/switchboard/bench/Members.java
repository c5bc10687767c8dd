package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The members of the bench's virtual users, one connection each, accepting every offer at once like an agent
 * console set to auto-accept. Remembers which member took which conversation.
 */
final class Members {

  private final ErrorCounts errors;
  private final BiConsumer<ProtocolClient, JsonObject> otherEvents;
  private final Map<String, ProtocolClient> byConversation = new ConcurrentHashMap<>();

  /** {@code otherEvents} gets every frame that is not an offer (messages, closed, …). */
  Members(ErrorCounts errors, BiConsumer<ProtocolClient, JsonObject> otherEvents) {
    this.errors = errors;
    this.otherEvents = otherEvents;
  }

  static List<String> names(int virtualUsers, int members) {
    List<String> names = new ArrayList<>();
    for (int v = 1; v <= virtualUsers; v++) {
      for (int m = 1; m <= members; m++) {
        names.add(Names.member(v, m));
      }
    }
    return names;
  }

  /** Connects every member of vu-1…vu-V; failures count as {@code connect:<code>} in {@code connectErrors}. */
  Future<List<ProtocolClient>> connect(Connector connector, int virtualUsers, int members, ErrorCounts connectErrors) {
    return connector.connectAll(names(virtualUsers, members), connectErrors).map(clients -> {
      clients.forEach(this::autoAccept);
      return clients;
    });
  }

  private void autoAccept(ProtocolClient member) {
    member.onEvent(frame -> {
      if (!"offer".equals(frame.getString("type"))) {
        otherEvents.accept(member, frame);
        return;
      }
      String conversation = frame.getString("conversation");
      // Remembered before accepting, so it is known before the source can hear "opened".
      byConversation.put(conversation, member);
      member.request(new JsonObject().put("type", "accept").put("conversation", conversation), "ok")
          .onFailure(failure -> {
            byConversation.remove(conversation);
            errors.count("accept", failure);
          });
    });
  }

  /** The member that accepted {@code conversation}, forgotten from now on; null if none did. */
  ProtocolClient take(String conversation) {
    return byConversation.remove(conversation);
  }

  /** Forgets every conversation (the setup scenario has no use for them). */
  void forgetAll() {
    byConversation.clear();
  }
}
