package io.switchboard.routing;

import io.switchboard.directory.Geo;
import io.switchboard.store.HistoryRecord;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * Everything one routing decision reads (SPEC.md §3 step 4): the source and its position and attributes
 * (the open request's context over its profile; the position may be null), the history between source and
 * destination newest first, the members in directory order, the members already tried, the member the
 * round-robin step chose last (null if none), and the time of the decision.
 */
public record RoutingContext(String source, Geo sourceGeo, JsonObject sourceAttributes, List<HistoryRecord> history,
                             List<Candidate> members, Set<String> excluded, String lastRoundRobin, long now) {
}
