package io.switchboard.contract;

/**
 * What arrives at a gateway's inbox ({@link Addresses#gateway}): an event for a user, the outcome of an open, or how
 * a waiting open is getting on.
 */
public sealed interface GatewayMessage permits UserDelivery, OpenOutcome, OpenProgress {
}
