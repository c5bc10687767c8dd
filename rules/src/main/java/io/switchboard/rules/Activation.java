package io.switchboard.rules;

/**
 * A rule made active by a trigger, until {@code activeUntil} (epoch milliseconds, exclusive). The gateway keeps
 * these per user and passes them back in {@link RecipientState#activeUntil()}.
 */
public record Activation(String rule, long activeUntil) {
}
