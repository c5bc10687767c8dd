package io.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@link SwitchboardMetrics} in a Micrometer Prometheus registry, with the Vert.x instance's own metrics (event bus,
 * HTTP and TCP servers, pools) and the JVM's, served in Prometheus text at {@code GET /metrics}. Every metric's name and
 * tags are here; Prometheus shows {@code switchboard.opens} as {@code switchboard_opens_total}. Whatever is not
 * Switchboard's own (Vert.x, JVM) gets the {@code switchboard.} prefix too, so one prefix finds all of a node.
 */
public final class PrometheusMetrics implements SwitchboardMetrics {

  static final String PREFIX = "switchboard.";

  static final String CONNECTIONS = PREFIX + "connections";
  static final String CONNECTIONS_OPENED = PREFIX + "connections.opened";
  static final String AUTHENTICATIONS = PREFIX + "authentications";
  static final String OPENS = PREFIX + "opens";
  static final String OPENS_QUEUED = PREFIX + "opens.queued";
  static final String SETUP = PREFIX + "setup";
  static final String ROUTING_DECISIONS = PREFIX + "routing.decisions";
  static final String TRANSFERS = PREFIX + "transfers";
  static final String LIVE_VIEWS_REFUSED = PREFIX + "live.views.refused";
  static final String LIVE_VIEWS_DROPPED = PREFIX + "live.views.dropped";
  static final String OFFERS = PREFIX + "offers";
  static final String MESSAGES_ACKED = PREFIX + "messages.acked";
  static final String MESSAGES_RELAYED = PREFIX + "messages.relayed";
  static final String MESSAGES_QUEUED = PREFIX + "messages.queued";
  static final String MESSAGES_HELD = PREFIX + "messages.held";
  static final String MESSAGES_RELEASED = PREFIX + "messages.released";
  static final String MESSAGES_DROPPED = PREFIX + "messages.dropped";
  static final String MAILBOX_DEPTH = PREFIX + "mailbox.depth";
  static final String OBSERVATIONS = PREFIX + "adaptive.observations";
  static final String STORE_REQUESTS = PREFIX + "store.requests";
  static final String STORE_FAILURES = PREFIX + "store.failures";
  static final String LEASE_AGE = PREFIX + "node.lease.age";

  static final String TRANSPORT = "transport";
  static final String RESULT = "result";
  static final String OUTCOME = "outcome";
  static final String STEP = "step";
  static final String END = "end";
  static final String REASON = "reason";
  static final String OPERATION = "operation";
  static final String CODE = "code";
  /** The step of a routing decision that selected nobody. */
  static final String NO_STEP = "none";

  /** Setups and offers wait for people: from tens of milliseconds to minutes. */
  private static final Duration[] HUMAN_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
  /** A store request is a round trip to Redis: from a fraction of a millisecond to its timeout. */
  private static final Duration[] STORE_BUCKETS = seconds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      0.5, 1, 2.5);
  /** A mailbox holds at most --max-mailbox-messages (a thousand unless told otherwise). */
  private static final double[] MAILBOX_BUCKETS = {1, 10, 100, 1000, 10_000, 100_000};

  private final PrometheusMeterRegistry registry;
  private final String registryName = "switchboard-" + UUID.randomUUID();
  private final Map<Transport, AtomicLong> connections = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> connectionsOpened;
  private final Map<Authentication, Counter> authentications;
  private final Map<OfferEnd, Timer> offers;
  private final Map<Drop, Counter> dropped;
  private final Map<Observed, Counter> observations;
  private final Map<String, Counter> opens = new ConcurrentHashMap<>();
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private final Map<String, Counter> transfers = new ConcurrentHashMap<>();
  private final Map<String, Timer> storeRequests = new ConcurrentHashMap<>();
  private final Map<String, Counter> storeFailures = new ConcurrentHashMap<>();
  private final Timer setup;
  private final Counter queuedOpens;
  private final Counter liveViewsRefused;
  private final Counter liveViewsDropped;
  private final Counter acked;
  private final Counter relayed;
  private final Counter queued;
  private final Counter held;
  private final Counter released;
  private final DistributionSummary mailbox;
  /** When the lease was last renewed ({@link System#nanoTime}), or MIN_VALUE before the first renewal. */
  private volatile long leaseRenewedAt = Long.MIN_VALUE;

  private PrometheusMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
      }
    });
    for (Transport transport : Transport.values()) {
      AtomicLong open = new AtomicLong();
      connections.put(transport, open);
      Gauge.builder(CONNECTIONS, open, AtomicLong::get).description("Client connections open now")
          .tag(TRANSPORT, transport.tag()).register(registry);
    }
    connectionsOpened = byTag(Transport.class, transport -> Counter.builder(CONNECTIONS_OPENED)
        .description("Client connections accepted").tag(TRANSPORT, transport.tag()).register(registry));
    authentications = byTag(Authentication.class, result -> Counter.builder(AUTHENTICATIONS)
        .description("auth frames, by result").tag(RESULT, result.tag()).register(registry));
    offers = byTag(OfferEnd.class, end -> Timer.builder(OFFERS)
        .description("How long offers waited, by how they ended").tag(END, end.tag())
        .serviceLevelObjectives(HUMAN_BUCKETS).register(registry));
    dropped = byTag(Drop.class, reason -> Counter.builder(MESSAGES_DROPPED)
        .description("Messages not handed to their recipient live, by reason").tag(REASON, reason.tag())
        .register(registry));
    observations = byTag(Observed.class, outcome -> Counter.builder(OBSERVATIONS)
        .description("Observations for the adaptive manager, by what became of them").tag(OUTCOME, outcome.tag())
        .register(registry));
    setup = Timer.builder(SETUP).description("From an open request to its opened reply")
        .serviceLevelObjectives(HUMAN_BUCKETS).register(registry);
    queuedOpens = counter(OPENS_QUEUED, "Open requests that waited in their destination's queue");
    liveViewsRefused = counter(LIVE_VIEWS_REFUSED, "Live views refused: the node served as many as it may");
    liveViewsDropped = counter(LIVE_VIEWS_DROPPED, "Live views closed because their client did not read");
    acked = counter(MESSAGES_ACKED, "Messages stored and acknowledged to their sender");
    relayed = counter(MESSAGES_RELAYED, "Messages sent on to the gateways of their connected recipient");
    queued = counter(MESSAGES_QUEUED, "Messages queued in the mailbox of a recipient without a connection");
    held = counter(MESSAGES_HELD, "Messages held by their recipient's rules");
    released = counter(MESSAGES_RELEASED, "Held messages released to their recipient");
    mailbox = DistributionSummary.builder(MAILBOX_DEPTH)
        .description("Messages waiting in a user's mailbox when it connected").serviceLevelObjectives(MAILBOX_BUCKETS)
        .register(registry);
    Gauge.builder(LEASE_AGE, this, PrometheusMetrics::leaseAgeSeconds).baseUnit("seconds")
        .description("Time since this node last renewed its lease").register(registry);
  }

  /**
   * The metrics installed on {@code vertx}, or new ones installed now (without the Vert.x instance's own: those need
   * {@link #instrument} before the instance is built).
   */
  public static PrometheusMetrics on(Vertx vertx) {
    if (SwitchboardMetrics.of(vertx) instanceof PrometheusMetrics installed) {
      return installed;
    }
    PrometheusMetrics metrics = new PrometheusMetrics();
    metrics.installOn(vertx);
    return metrics;
  }

  /**
   * New metrics that also record the Vert.x instance built with {@code options} and {@code builder} (its event bus,
   * servers and pools) and the JVM; install them on that instance with {@link #installOn} once it is built.
   */
  public static PrometheusMetrics instrument(VertxOptions options, VertxBuilder builder) {
    PrometheusMetrics metrics = new PrometheusMetrics();
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName(metrics.registryName));
    builder.withMetrics(new MicrometerMetricsFactory(metrics.registry));
    return metrics;
  }

  /** Makes these the metrics of {@code vertx} (see {@link SwitchboardMetrics#of}). */
  public Vertx installOn(Vertx vertx) {
    SwitchboardMetrics.install(vertx, this);
    return vertx;
  }

  /** Serves the metrics in Prometheus text at {@code GET /metrics}. */
  public void mount(Router router) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }

  /** Serves {@code GET /metrics} on an HTTP server of its own, for a node that has no other; answers its port. */
  public Future<Integer> serve(Vertx vertx, String host, int port) {
    Router router = Router.router(vertx);
    mount(router);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router).listen()
        .map(HttpServer::actualPort);
  }

  @Override
  public long now() {
    return System.nanoTime();
  }

  @Override
  public void connectionOpened(Transport transport) {
    connections.get(transport).incrementAndGet();
    connectionsOpened.get(transport).increment();
  }

  @Override
  public void connectionClosed(Transport transport) {
    connections.get(transport).decrementAndGet();
  }

  @Override
  public void authentication(Authentication result) {
    authentications.get(result).increment();
  }

  @Override
  public void openEnded(String outcome, long since) {
    opens.computeIfAbsent(outcome, tag -> Counter.builder(OPENS).description("Open requests, by outcome")
        .tag(OUTCOME, tag).register(registry)).increment();
    if ("opened".equals(outcome)) {
      setup.record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void openQueued() {
    queuedOpens.increment();
  }

  @Override
  public void transferEnded(String outcome) {
    transfers.computeIfAbsent(outcome, tag -> Counter.builder(TRANSFERS).description("Transfer requests, by outcome")
        .tag(OUTCOME, tag).register(registry)).increment();
  }

  @Override
  public void liveViewRefused() {
    liveViewsRefused.increment();
  }

  @Override
  public void liveViewDropped() {
    liveViewsDropped.increment();
  }

  @Override
  public void routingDecision(String step) {
    decisions.computeIfAbsent(step == null ? NO_STEP : step, tag -> Counter.builder(ROUTING_DECISIONS)
        .description("Routing decisions, by the policy step that selected").tag(STEP, tag).register(registry))
        .increment();
  }

  @Override
  public void offerEnded(OfferEnd end, long since) {
    offers.get(end).record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
  }

  @Override
  public void messageAcked() {
    acked.increment();
  }

  @Override
  public void messageRelayed() {
    relayed.increment();
  }

  @Override
  public void messageQueued() {
    queued.increment();
  }

  @Override
  public void messageHeld() {
    held.increment();
  }

  @Override
  public void messagesReleased(int count) {
    released.increment(count);
  }

  @Override
  public void messageDropped(Drop reason) {
    dropped.get(reason).increment();
  }

  @Override
  public void observation(Observed outcome) {
    observations.get(outcome).increment();
  }

  @Override
  public void mailboxDrained(int depth) {
    mailbox.record(depth);
  }

  @Override
  public void storeRequest(String operation, long since, ErrorCode failure) {
    storeRequests.computeIfAbsent(operation, tag -> Timer.builder(STORE_REQUESTS)
        .description("Requests to the shared store, by operation (a Redis command or script)").tag(OPERATION, tag)
        .serviceLevelObjectives(STORE_BUCKETS).register(registry))
        .record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
    if (failure != null) {
      storeFailures.computeIfAbsent(operation + '\n' + failure.wire(), key -> Counter.builder(STORE_FAILURES)
          .description("Store requests the store could not answer, by operation and error code")
          .tag(OPERATION, operation).tag(CODE, failure.wire()).register(registry)).increment();
    }
  }

  @Override
  public void leaseRenewed() {
    leaseRenewedAt = System.nanoTime();
  }

  private double leaseAgeSeconds() {
    long at = leaseRenewedAt;
    return at == Long.MIN_VALUE ? Double.NaN : (System.nanoTime() - at) / 1e9;
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private static <E extends Enum<E>, M> Map<E, M> byTag(Class<E> type, Function<E, M> meter) {
    Map<E, M> meters = new EnumMap<>(type);
    for (E value : type.getEnumConstants()) {
      meters.put(value, meter.apply(value));
    }
    return meters;
  }

  private static Duration[] seconds(double... values) {
    Duration[] durations = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return durations;
  }
}
