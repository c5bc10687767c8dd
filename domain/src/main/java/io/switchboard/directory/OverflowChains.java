package io.switchboard.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks where overflow steps lead (docs/POLICY.md § overflow): every step names an existing virtual user, and no
 * chain of overflows comes back to where it started, which would pass an open round forever.
 */
public final class OverflowChains {

  private OverflowChains() {
  }

  /**
   * Checks {@code candidate} among {@code virtualUsers} (by id; the candidate's own entry, if any, is the old
   * definition it replaces).
   */
  public static void check(VirtualUser candidate, Map<String, VirtualUser> virtualUsers) {
    List<String> path = new ArrayList<>(List.of(candidate.id()));
    VirtualUser at = candidate;
    while (at.policy().overflow() != null) {
      String to = at.policy().overflow().to();
      if (path.contains(to)) {
        path.add(to);
        throw new InvalidDefinitionException("the overflow steps would pass an open round in a cycle: "
            + String.join(" → ", path));
      }
      at = virtualUsers.get(to);
      if (at == null) {
        throw new InvalidDefinitionException(path.get(path.size() - 1) + " overflows to " + to
            + ", which is no virtual user");
      }
      path.add(to);
    }
  }
}
