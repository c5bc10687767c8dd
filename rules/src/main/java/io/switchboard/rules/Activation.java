package io.switchboard.rules;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A rule made active by a trigger, until {@code activeUntil} (epoch milliseconds, exclusive). The store keeps
 * these per user and they come back in {@link RecipientState#activeUntil()}.
 */
public record Activation(String rule, long activeUntil) {

  /** Rule id → end of activation, as the store records them (a trigger names each rule once). */
  public static Map<String, Long> byRule(List<Activation> activations) {
    return activations.stream().collect(Collectors.toMap(Activation::rule, Activation::activeUntil, Math::max));
  }
}
