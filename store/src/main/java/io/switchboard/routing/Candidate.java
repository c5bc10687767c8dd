package io.switchboard.routing;

import io.switchboard.contract.Status;
import io.switchboard.directory.User;

/** A member as the policy chain sees it at one moment: its profile, status, open conversations and last assignment. */
public record Candidate(User user, Status status, int load, long lastAssigned) {

  public String id() {
    return user.id();
  }
}
