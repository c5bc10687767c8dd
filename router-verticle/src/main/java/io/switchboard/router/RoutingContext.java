package io.switchboard.router;

import io.switchboard.directory.Geo;
import io.switchboard.conversation.HistoryRecord;
import io.switchboard.store.MemberState;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * Everything one routing decision reads: the source and its position and attributes
 * (the open request's context over its profile; the position may be null), the history between source and
 * destination newest first, the members in directory order, the members already tried, the member the
 * round-robin step chose last (null if none), and the time of the decision.
 */
public record RoutingContext(String source, Geo sourceGeo, JsonObject sourceAttributes, List<HistoryRecord> history,
                             List<MemberState> members, Set<String> excluded, String lastRoundRobin, long now) {
}
