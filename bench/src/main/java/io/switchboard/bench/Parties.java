package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who takes part in a conversation scenario: the members of vu-1…vu-V (M each, auto-accepting) and S sources
 * src-1…src-S. Connects the members first, so that the virtual users are available when the sources open.
 */
final class Parties {

  private static final Logger LOG = LoggerFactory.getLogger(Parties.class);

  final int sources;
  final int virtualUsers;
  final int members;

  /** The options of a conversation scenario, after the common ones. */
  static Map<String, String> options(String sourcesHelp, String virtualUsersHelp) {
    return Options.table(LoadOptions.common(),
        "sources", sourcesHelp,
        "virtual-users", virtualUsersHelp,
        "members", "members per virtual user, all connected and auto-accepting (default 10)");
  }

  Parties(Options options, int defaultSources) {
    this.sources = options.integer("sources", defaultSources, 1);
    this.virtualUsers = options.integer("virtual-users", 10, 1);
    this.members = options.integer("members", 10, 1);
  }

  /**
   * Connects the members through {@code memberClients}, then the sources; counts both in {@code connections}
   * and connection failures in {@code connectErrors}. Fails if no source could connect.
   */
  Future<List<ProtocolClient>> connect(String scenario, Connector connector, Members memberClients,
                                       ErrorCounts connectErrors, JsonObject connections) {
    List<String> sourceNames = new ArrayList<>();
    for (int s = 1; s <= sources; s++) {
      sourceNames.add(Names.source(s));
    }
    LOG.info("{}: connecting {} members and {} sources", scenario, virtualUsers * members, sources);
    return memberClients.connect(connector, virtualUsers, members, connectErrors)
        .compose(connectedMembers -> {
          connections.put("members", connectedMembers.size());
          return connector.connectAll(sourceNames, connectErrors);
        })
        .compose(connectedSources -> {
          connections.put("sources", connectedSources.size());
          return connectedSources.isEmpty()
              ? Future.failedFuture("no source could connect: " + connectErrors.toJson().encode())
              : Future.succeededFuture(connectedSources);
        });
  }

  /** The parties' counts, for a result. */
  JsonObject toJson() {
    return new JsonObject().put("sources", sources).put("virtualUsers", virtualUsers).put("members", members);
  }
}
