package io.switchboard.presence;

import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.Status;
import io.switchboard.directory.Hours;
import io.switchboard.directory.VirtualUser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The business hours of virtual users (docs/POLICY.md § Business hours), as far as presence goes: outside them a
 * virtual user shows {@code away}, whatever its members do, and the moments it opens or closes are changes of its
 * presence.
 */
final class OpeningHours {

  private final Map<String, Hours> hours = new HashMap<>();
  /** The virtual users with hours that were closed when last looked at. */
  private final Set<String> closed = new HashSet<>();

  /** Follows a virtual user's definition; whether it is open is known from {@code now} on. */
  void learn(VirtualUser virtualUser, Instant now) {
    Hours of = virtualUser.policy().hours();
    if (of != null) {
      hours.put(virtualUser.id(), of);
      if (!of.isOpen(now)) {
        closed.add(virtualUser.id());
      } else {
        closed.remove(virtualUser.id());
      }
    } else {
      hours.remove(virtualUser.id());
      closed.remove(virtualUser.id());
    }
  }

  /** The change as watchers see it: a virtual user outside its hours is away. */
  PresenceChange shown(PresenceChange change, Instant now) {
    Hours of = change.virtual() ? hours.get(change.user()) : null;
    return of == null || of.isOpen(now) ? change : new PresenceChange(change.user(), Status.AWAY.wire(), true);
  }

  /** The virtual users that opened or closed since the last call. */
  List<String> openedOrClosed(Instant now) {
    List<String> changed = new ArrayList<>();
    hours.forEach((id, of) -> {
      boolean isClosed = !of.isOpen(now);
      if (isClosed ? closed.add(id) : closed.remove(id)) {
        changed.add(id);
      }
    });
    return changed;
  }
}
