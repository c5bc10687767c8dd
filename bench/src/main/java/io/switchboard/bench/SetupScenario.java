package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code setup}: S sources each keep {@code concurrency} open requests in flight to the V virtual users in turn;
 * every member accepts at once; each opened conversation is closed by its source before that lane opens the
 * next. Measures setups per second and open → opened latency.
 */
final class SetupScenario {

  private static final Logger LOG = LoggerFactory.getLogger(SetupScenario.class);
  /** After a failed open, a lane waits this long, so that a node that refuses everything is not spun on. */
  private static final long ERROR_PAUSE_MS = 10;

  static final Map<String, String> OPTIONS = Options.table(
      Parties.options("source connections, as src-1…src-S (default 10)", "virtual users opened, vu-1…vu-V (default 10)"),
      "concurrency", "opens in flight per source (default 1)",
      ProcessCpu.OPTION, ProcessCpu.HELP);

  private final Vertx vertx;
  private final LoadOptions load;
  private final Parties parties;
  private final int concurrency;
  private final ProcessCpu cpu;
  private final Latency openLatency = new Latency();
  private final Latency closeLatency = new Latency();
  private final LongAdder setups = new LongAdder();
  private final ErrorCounts errors = new ErrorCounts();
  private final ErrorCounts connectErrors = new ErrorCounts();
  private volatile long measureFrom;
  private volatile long deadline;

  SetupScenario(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.load = LoadOptions.from(options);
    this.parties = new Parties(options, 10);
    this.concurrency = options.integer("concurrency", 1, 1);
    this.cpu = ProcessCpu.from(vertx, options);
  }

  Future<JsonObject> run() {
    Connector connector = new Connector(vertx, load);
    connector.start();
    Members memberClients = new Members(errors, (member, frame) -> { });
    JsonObject connections = new JsonObject();
    return parties.connect("setup", connector, memberClients, connectErrors, connections)
        .compose(connectedSources -> {
          LOG.info("setup: opening for {} (+{} warm-up)", load.duration(), load.warmup());
          return drive(connectedSources);
        })
        .map(measuredSeconds -> result(measuredSeconds, connections.put("errors", connectErrors.toJson())
            .mergeIn(connector.toJson())))
        .eventually(connector::close);
  }

  /** Runs every lane until the deadline; completes with the seconds measured. */
  private Future<Double> drive(List<ProtocolClient> connected) {
    long start = System.nanoTime();
    measureFrom = start + load.warmup().toNanos();
    deadline = measureFrom + load.duration().toNanos();
    if (load.warmup().isZero()) {
      cpu.markStart();
    } else {
      vertx.setTimer(load.warmup().toMillis(), warm -> {
        openLatency.reset();
        closeLatency.reset();
        setups.reset();
        errors.reset();
        cpu.markStart();
      });
    }
    Promise<Void> windowEnded = Promise.promise();
    vertx.setTimer(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), end -> cpu.markEnd().onComplete(windowEnded));
    List<Future<Void>> lanes = new ArrayList<>();
    for (int s = 0; s < connected.size(); s++) {
      for (int c = 0; c < concurrency; c++) {
        Promise<Void> lane = Promise.promise();
        next(connected.get(s), s * concurrency + c, 0, lane);
        lanes.add(lane.future());
      }
    }
    return Future.join(lanes).map(done -> (System.nanoTime() - measureFrom) / 1e9)
        .compose(measured -> windowEnded.future().transform(sampled -> Future.succeededFuture(measured)));
  }

  /** One lane: open, then close, then the next open, until the deadline. */
  private void next(ProtocolClient source, int lane, long round, Promise<Void> done) {
    if (System.nanoTime() - deadline >= 0 || source.isClosed()) {
      done.tryComplete();
      return;
    }
    String to = Names.virtualUser((int) ((lane + round) % parties.virtualUsers) + 1);
    long sent = System.nanoTime();
    source.request(new JsonObject().put("type", "open").put("to", to), "opened")
        .compose(opened -> {
          long openedAt = System.nanoTime();
          if (openedAt - deadline < 0) {
            openLatency.recordNanos(openedAt - sent);
            setups.increment();
          }
          return source.request(new JsonObject().put("type", "close")
                  .put("conversation", opened.getString("conversation")), "ok")
              .onSuccess(ok -> closeLatency.recordNanos(System.nanoTime() - openedAt))
              .onFailure(failure -> errors.count("close", failure))
              .<Void>mapEmpty();
        }, failure -> {
          errors.count("open", failure);
          return vertx.timer(ERROR_PAUSE_MS).mapEmpty();
        })
        .onComplete(finished -> next(source, lane, round + 1, done));
  }

  private JsonObject result(double measuredSeconds, JsonObject connections) {
    long count = setups.sum();
    // Lanes finish their last round after the deadline: the rate is over the planned duration.
    double seconds = load.duration().toMillis() / 1000.0;
    JsonObject result = new JsonObject()
        .put("scenario", "setup")
        .put("transport", load.transport().name().toLowerCase())
        .mergeIn(parties.toJson())
        .put("concurrency", concurrency)
        .put("durationSeconds", seconds)
        .put("warmupSeconds", load.warmup().toMillis() / 1000.0)
        .put("drainSeconds", Math.round((measuredSeconds - seconds) * 1000) / 1000.0)
        .put("setups", count)
        .put("setupsPerSecond", Math.round(count / seconds * 10) / 10.0)
        .put("openLatencyMs", openLatency.toJson())
        .put("closeLatencyMs", closeLatency.toJson())
        .put("errors", errors.toJson())
        .put("connections", connections);
    JsonObject cpuPerSetup = cpu.toJson(count);
    return cpuPerSetup == null ? result : result.put("cpu", cpuPerSetup);
  }
}
