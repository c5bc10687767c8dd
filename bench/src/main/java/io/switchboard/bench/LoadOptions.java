package io.switchboard.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * What every load scenario shares: the node's endpoints and secret, the transport, how long to run, and how the
 * connections are made. Targets must be loopback addresses: the bench loads only this machine.
 */
record LoadOptions(String wsHost, int wsPort, String wsPath, String tcpHost, int tcpPort, String secret,
                   Transport transport, Duration duration, Duration warmup, int localAddresses,
                   Duration requestTimeout, Duration pingInterval, int connectBatch) {

  enum Transport { WS, TCP }

  /** The options every load scenario takes, for its usage text. */
  static Map<String, String> common() {
    return Options.table(
        "url", "the node's WebSocket endpoint (default ws://127.0.0.1:8080/ws)",
        "tcp", "the node's TCP endpoint host:port (default 127.0.0.1:7070)",
        "secret", "the node's --jwt-secret, to sign client tokens (required)",
        "transport", "ws or tcp (default ws)",
        "duration", "how long to measure: 20, 20s, 500ms, 2m or PT20S (default 10s)",
        "warmup", "load before measuring, not counted (default 0s)",
        "local-addresses", "connect from this many loopback addresses 127.0.0.1…, for more than ~28,000 "
            + "connections to one port (default 1)",
        "request-timeout", "a request without a reply for this long counts as client_timeout (default 30s)",
        "ping-interval", "send a ping after this long without sending (default half the node's heartbeat)",
        "connect-batch", "connections opened at once while connecting (default 200)",
        "threads", "event loops of the bench (default: the number of cores)");
  }

  static LoadOptions from(Options options) {
    URI url = URI.create(options.string("url", "ws://127.0.0.1:8080/ws"));
    if (!"ws".equals(url.getScheme()) || url.getHost() == null) {
      throw new Options.InvalidOptionException("--url must be ws://host:port/path, not " + url);
    }
    String tcp = options.string("tcp", "127.0.0.1:7070");
    int colon = tcp.lastIndexOf(':');
    if (colon <= 0) {
      throw new Options.InvalidOptionException("--tcp must be host:port, not " + tcp);
    }
    String tcpHost = tcp.substring(0, colon);
    int tcpPort;
    try {
      tcpPort = Integer.parseInt(tcp.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new Options.InvalidOptionException("--tcp must be host:port, not " + tcp);
    }
    String transport = options.string("transport", "ws");
    if (!transport.equals("ws") && !transport.equals("tcp")) {
      throw new Options.InvalidOptionException("--transport is ws or tcp, not " + transport);
    }
    LoadOptions load = new LoadOptions(url.getHost(), url.getPort() < 0 ? 80 : url.getPort(),
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/ws" : url.getRawPath(), tcpHost, tcpPort,
        options.required("secret"), transport.equals("ws") ? Transport.WS : Transport.TCP,
        options.duration("duration", Duration.ofSeconds(10)), options.duration("warmup", Duration.ZERO),
        options.integer("local-addresses", 1, 1), options.duration("request-timeout", Duration.ofSeconds(30)),
        options.has("ping-interval") ? options.duration("ping-interval", null) : null,
        options.integer("connect-batch", 200, 1));
    if (load.localAddresses() > 250) {
      throw new Options.InvalidOptionException("--local-addresses is at most 250 (127.0.0.1 to 127.0.0.250)");
    }
    load.requireLoopback(load.transport() == Transport.WS ? load.wsHost() : load.tcpHost());
    return load;
  }

  /** The bench loads only this machine: a target that is not a loopback address is refused. */
  private void requireLoopback(String host) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new Options.InvalidOptionException(host + " is not a loopback address: the bench only loads this machine");
      }
    } catch (UnknownHostException e) {
      throw new Options.InvalidOptionException("unknown host " + host);
    }
  }

  /** The loopback address connection {@code index} comes from, or null to let the system choose. */
  String localAddress(int index) {
    return localAddresses == 1 ? null : "127.0.0." + (1 + index % localAddresses);
  }

  LoadOptions withLocalAddresses(int count) {
    return new LoadOptions(wsHost, wsPort, wsPath, tcpHost, tcpPort, secret, transport, duration, warmup,
        Math.min(250, count), requestTimeout, pingInterval, connectBatch);
  }

  /** Measurement plus warm-up. */
  Duration total() {
    return duration.plus(warmup);
  }
}
