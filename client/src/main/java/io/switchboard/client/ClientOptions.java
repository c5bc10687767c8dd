package io.switchboard.client;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where and how a client connects. Either a WebSocket ({@link #webSocket}: {@code GET /ws} on the node's HTTP
 * port) or TCP ({@link #tcp}: one JSON frame per line), with a token and the defaults below, each changeable.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.webSocket("chat.example.com", 443).setSsl(true).setToken(jwt);
 * }</pre>
 */
public final class ClientOptions {

  /** The transports a client speaks. */
  public enum Transport { WEBSOCKET, TCP }

  private final Transport transport;
  private final String host;
  private final int port;
  private String path = "/ws";
  private boolean ssl;
  private Supplier<Future<String>> token;
  private Duration requestTimeout = Duration.ofSeconds(10);
  private Duration openTimeout = Duration.ofMinutes(10);
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Backoff backoff = Backoff.DEFAULT;
  private boolean reconnect = true;
  private int maxQueuedRequests = 1_000;
  private int maxResumeBuffer = 5_000;
  private int maxFrameBytes = 4 * 1024 * 1024;
  private final Map<String, Long> conversations = new LinkedHashMap<>();

  private ClientOptions(Transport transport, String host, int port) {
    this.transport = transport;
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
  }

  /** A WebSocket to {@code ws://host:port/ws}. */
  public static ClientOptions webSocket(String host, int port) {
    return new ClientOptions(Transport.WEBSOCKET, host, port);
  }

  /** A TCP connection to {@code host:port}, one JSON frame per line. */
  public static ClientOptions tcp(String host, int port) {
    return new ClientOptions(Transport.TCP, host, port);
  }

  /** The token for every connection attempt. */
  public ClientOptions setToken(String token) {
    Objects.requireNonNull(token, "token");
    return setToken(() -> Future.succeededFuture(token));
  }

  /** Asked for a token before every connection attempt, so that it can hand out fresh ones. */
  public ClientOptions setToken(Supplier<Future<String>> token) {
    this.token = Objects.requireNonNull(token, "token");
    return this;
  }

  /** The WebSocket path (default {@code /ws}). */
  public ClientOptions setPath(String path) {
    this.path = Objects.requireNonNull(path, "path");
    return this;
  }

  /** TLS (wss:// or TLS over TCP). */
  public ClientOptions setSsl(boolean ssl) {
    this.ssl = ssl;
    return this;
  }

  /** A request's deadline (default 10 s). */
  public ClientOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = positive(requestTimeout, "requestTimeout");
    return this;
  }

  /** The deadline of {@code open} and {@code transfer}, which wait for a person to accept (default 10 min). */
  public ClientOptions setOpenTimeout(Duration openTimeout) {
    this.openTimeout = positive(openTimeout, "openTimeout");
    return this;
  }

  /** How long a connection attempt may take, from connecting to {@code ready} (default 10 s). */
  public ClientOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive(connectTimeout, "connectTimeout");
    return this;
  }

  /** Delays between attempts (default 500 ms doubling up to 30 s, with jitter). */
  public ClientOptions setBackoff(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    return this;
  }

  /** Whether a lost connection is retried (default true). */
  public ClientOptions setReconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /** Most requests waiting for the connection to come back (default 1,000); more fail with {@code queue_full}. */
  public ClientOptions setMaxQueuedRequests(int maxQueuedRequests) {
    this.maxQueuedRequests = atLeastOne(maxQueuedRequests, "maxQueuedRequests");
    return this;
  }

  /** Most messages held per conversation while it resumes (default 5,000). */
  public ClientOptions setMaxResumeBuffer(int maxResumeBuffer) {
    this.maxResumeBuffer = atLeastOne(maxResumeBuffer, "maxResumeBuffer");
    return this;
  }

  /** The largest frame accepted from the server, in bytes (default 4 MiB; a transcript page can reach 1 MiB). */
  public ClientOptions setMaxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = atLeastOne(maxFrameBytes, "maxFrameBytes");
    return this;
  }

  /** A conversation to resume on connecting, after the last seq the app saw in it (e.g. kept across a restart). */
  public ClientOptions addConversation(String conversation, long lastSeq) {
    conversations.put(Objects.requireNonNull(conversation, "conversation"), lastSeq);
    return this;
  }

  public Transport transport() {
    return transport;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String path() {
    return path;
  }

  public boolean ssl() {
    return ssl;
  }

  public Supplier<Future<String>> token() {
    return token;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration openTimeout() {
    return openTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Backoff backoff() {
    return backoff;
  }

  public boolean reconnect() {
    return reconnect;
  }

  public int maxQueuedRequests() {
    return maxQueuedRequests;
  }

  public int maxResumeBuffer() {
    return maxResumeBuffer;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public Map<String, Long> conversations() {
    return Map.copyOf(conversations);
  }

  private static Duration positive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
    return duration;
  }

  private static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return value;
  }
}
