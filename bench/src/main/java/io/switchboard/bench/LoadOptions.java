package io.switchboard.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What every load scenario shares: the endpoints of the node (or of every node of a cluster: connections are
 * spread over them in turn), the secret, the transport, how long to run, and how the connections are made.
 * Targets must be loopback addresses: the bench loads only this machine.
 */
record LoadOptions(List<Endpoint> webSockets, List<Endpoint> tcps, String secret, Transport transport,
                   Duration duration, Duration warmup, int localAddresses, Duration requestTimeout,
                   Duration pingInterval, int connectBatch) {

  enum Transport { WS, TCP }

  /** One node's endpoint of the transport; {@code path} is the WebSocket request path (null for TCP). */
  record Endpoint(String host, int port, String path) {
  }

  LoadOptions {
    webSockets = List.copyOf(webSockets);
    tcps = List.copyOf(tcps);
  }

  /** The options every load scenario takes, for its usage text. */
  static Map<String, String> common() {
    return Options.table(
        "url", "the node's WebSocket endpoint; for a cluster, every node's, comma-separated "
            + "(default ws://127.0.0.1:8080/ws)",
        "tcp", "the node's TCP endpoint host:port; for a cluster, comma-separated (default 127.0.0.1:7070)",
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
    List<Endpoint> webSockets = new ArrayList<>();
    for (String text : list(options.string("url", "ws://127.0.0.1:8080/ws"))) {
      URI url;
      try {
        url = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new Options.InvalidOptionException("--url must be ws://host:port/path, not " + text);
      }
      if (!"ws".equals(url.getScheme()) || url.getHost() == null) {
        throw new Options.InvalidOptionException("--url must be ws://host:port/path, not " + text);
      }
      webSockets.add(new Endpoint(url.getHost(), url.getPort() < 0 ? 80 : url.getPort(),
          url.getRawPath() == null || url.getRawPath().isEmpty() ? "/ws" : url.getRawPath()));
    }
    List<Endpoint> tcps = new ArrayList<>();
    for (String text : list(options.string("tcp", "127.0.0.1:7070"))) {
      int colon = text.lastIndexOf(':');
      try {
        tcps.add(new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)), null));
      } catch (IndexOutOfBoundsException | NumberFormatException e) {
        throw new Options.InvalidOptionException("--tcp must be host:port, not " + text);
      }
    }
    String transport = options.string("transport", "ws");
    if (!transport.equals("ws") && !transport.equals("tcp")) {
      throw new Options.InvalidOptionException("--transport is ws or tcp, not " + transport);
    }
    LoadOptions load = new LoadOptions(webSockets, tcps, options.required("secret"),
        transport.equals("ws") ? Transport.WS : Transport.TCP,
        options.duration("duration", Duration.ofSeconds(10)), options.duration("warmup", Duration.ZERO),
        options.integer("local-addresses", 1, 1), options.duration("request-timeout", Duration.ofSeconds(30)),
        options.has("ping-interval") ? options.duration("ping-interval", null) : null,
        options.integer("connect-batch", 200, 1));
    if (load.localAddresses() > 250) {
      throw new Options.InvalidOptionException("--local-addresses is at most 250 (127.0.0.1 to 127.0.0.250)");
    }
    load.endpoints().forEach(endpoint -> requireLoopback(endpoint.host()));
    return load;
  }

  private static List<String> list(String text) {
    List<String> items = Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new Options.InvalidOptionException("no endpoint in " + text);
    }
    return items;
  }

  /** The bench loads only this machine: a target that is not a loopback address is refused. */
  private static void requireLoopback(String host) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new Options.InvalidOptionException(host + " is not a loopback address: the bench only loads this machine");
      }
    } catch (UnknownHostException e) {
      throw new Options.InvalidOptionException("unknown host " + host);
    }
  }

  /** The endpoints of the chosen transport. */
  List<Endpoint> endpoints() {
    return transport == Transport.WS ? webSockets : tcps;
  }

  /** The endpoint connection number {@code index} goes to: the nodes in turn. */
  Endpoint endpoint(int index) {
    return endpoints().get(index % endpoints().size());
  }

  /** Which local address connection number {@code index} comes from (an index into {@link #localAddress}). */
  int addressSlot(int index) {
    return index / endpoints().size() % localAddresses;
  }

  /** The loopback address of {@code slot}, or null to let the system choose. */
  String localAddress(int slot) {
    return localAddresses == 1 ? null : "127.0.0." + (1 + slot % localAddresses);
  }

  LoadOptions withLocalAddresses(int count) {
    return new LoadOptions(webSockets, tcps, secret, transport, duration, warmup, Math.min(250, count),
        requestTimeout, pingInterval, connectBatch);
  }

  /** Measurement plus warm-up. */
  Duration total() {
    return duration.plus(warmup);
  }
}
