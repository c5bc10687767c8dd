package io.switchboard.gateway;

import io.vertx.core.net.KeyCertOptions;

import java.time.Duration;

/**
 * How the gateway listens and polices connections: ports and host, the heartbeat announced in {@code hello}
 * (a connection silent for twice that is closed), the frame limit, the most frames per second per connection,
 * the longest an {@code open} may wait for its outcome (every offer's timeout together), the most bytes a connection
 * may have waiting to be sent to its client, how long a connection may take to authenticate, how long an HTTP
 * request may take to arrive whole, whether WebSocket clients may compress (permessage-deflate), and the
 * certificate both ports serve TLS with (null: plain).
 */
public record GatewayOptions(String host, int httpPort, int tcpPort, Duration heartbeat, int maxFrameBytes,
                             int framesPerSecond, Duration openTimeout, int maxOutboundBytes, Duration authTimeout,
                             Duration requestTimeout, boolean webSocketCompression, KeyCertOptions tls) {
}
