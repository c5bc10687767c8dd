package io.switchboard.store;

import io.switchboard.contract.Status;
import io.switchboard.directory.User;

/**
 * A member as routing sees it at one moment: its profile, status, open (or offered) conversations across every
 * virtual user and its direct ones, and when its virtual user last assigned it a conversation (0 if never).
 */
public record MemberState(User user, Status status, int load, long lastAssigned) {

  public String id() {
    return user.id();
  }

  /** Whether it can take one more conversation. */
  public boolean hasRoom() {
    return user.hasRoomFor(load);
  }
}
