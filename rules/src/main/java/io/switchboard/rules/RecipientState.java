package io.switchboard.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the recipient's rules know about the recipient besides the message; the gateway keeps it.
 *
 * @param status          the recipient's status ({@code online}, {@code busy}, {@code away}, {@code offline})
 * @param activity        what the recipient's client reports it doing, e.g. {@code presenting}; null for nothing
 * @param activeUntil     rule id → end of its activation (epoch ms, exclusive), from past triggers
 * @param lastClosingSent conversation id → when the recipient last sent a closing there (epoch ms)
 */
public record RecipientState(String status, String activity, Map<String, Long> activeUntil,
                             Map<String, Long> lastClosingSent) {

  public RecipientState {
    Objects.requireNonNull(status, "status");
    activeUntil = activeUntil == null ? Map.of() : Map.copyOf(activeUntil);
    lastClosingSent = lastClosingSent == null ? Map.of() : Map.copyOf(lastClosingSent);
  }

  /** A recipient in {@code status}, doing nothing in particular, with no activations and no closings sent. */
  public static RecipientState of(String status) {
    return new RecipientState(status, null, Map.of(), Map.of());
  }

  /** This state with {@code activations} added; a rule activated again stays active until the later end. */
  public RecipientState withActivations(List<Activation> activations) {
    Map<String, Long> merged = new HashMap<>(activeUntil);
    activations.forEach(activation -> merged.merge(activation.rule(), activation.activeUntil(), Math::max));
    return new RecipientState(status, activity, merged, lastClosingSent);
  }

  /** This state after the recipient sent a closing ({@link ClosingClass#isClosing}) in {@code conversation}. */
  public RecipientState withClosingSent(String conversation, long at) {
    Map<String, Long> closings = new HashMap<>(lastClosingSent);
    closings.put(conversation, at);
    return new RecipientState(status, activity, activeUntil, closings);
  }
}
