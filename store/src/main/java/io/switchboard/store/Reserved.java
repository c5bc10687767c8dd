package io.switchboard.store;

import java.util.List;

/**
 * The answer to a {@link Reservation}: granted, with the gateways holding the member's sessions (where its offer
 * goes); or refused, with the reason in words.
 */
public record Reserved(boolean granted, String refusal, List<String> gateways) {

  public Reserved {
    gateways = List.copyOf(gateways);
  }

  public static Reserved granted(List<String> gateways) {
    return new Reserved(true, null, gateways);
  }

  public static Reserved refused(String why) {
    return new Reserved(false, why, List.of());
  }
}
