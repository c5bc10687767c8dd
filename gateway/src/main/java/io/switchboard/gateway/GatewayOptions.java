package io.switchboard.gateway;

import java.time.Duration;

/**
 * How the gateway listens and polices connections: ports and host, the heartbeat announced in {@code hello}
 * (a connection silent for twice that is closed), the frame limit, the most frames per second per connection,
 * the longest an {@code open} may wait for the router (every offer's timeout together), and how long this node's
 * lease lasts (it is renewed three times per lease; when it runs out the cluster drops this node's sessions).
 */
public record GatewayOptions(String host, int httpPort, int tcpPort, Duration heartbeat, int maxFrameBytes,
                             int framesPerSecond, Duration openTimeout, Duration lease) {
}
