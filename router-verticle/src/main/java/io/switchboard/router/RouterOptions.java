package io.switchboard.router;

import java.time.Duration;

/**
 * How the router routes and waits: the node it runs on (whose lease its reservations live by);
 * {@code commonOfferTimeout} for an offer to a common user (virtual users take it from their policy);
 * {@code disconnectGrace} before a departed user's conversations are closed; {@code maxPendingOpens}, the most
 * opens one source may have pending to one destination; {@code memberOffersPerSecond}, the most offers one member
 * receives in a second.
 */
public record RouterOptions(String node, Duration commonOfferTimeout, Duration disconnectGrace, int maxPendingOpens,
                            int memberOffersPerSecond) {
}
