package io.switchboard.router;

import java.time.Duration;

/**
 * How the router waits: {@code commonOfferTimeout} for an offer to a common user (virtual users take it from
 * their policy), {@code disconnectGrace} before a departed user's conversations are closed.
 */
public record RouterOptions(Duration commonOfferTimeout, Duration disconnectGrace) {
}
