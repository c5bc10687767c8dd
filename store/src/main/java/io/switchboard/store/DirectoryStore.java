package io.switchboard.store;

import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.Future;

import java.util.List;

/**
 * The directory (docs/PRODUCT.md): users and virtual users with their members and policies. Failures carry an
 * {@link io.switchboard.contract.ErrorCode}; {@code store_unavailable} when the store cannot be reached.
 */
public interface DirectoryStore {

  /** Creates or replaces a user; fails with {@link InvalidDefinitionException} when the id is a virtual user's. */
  Future<Void> putUser(User user);

  /**
   * Creates or replaces a virtual user; fails with {@link InvalidDefinitionException} naming a member that is
   * not a user, or when the id is a user's.
   */
  Future<Void> putVirtualUser(VirtualUser virtualUser);

  /** The user, or null. */
  Future<User> user(String id);

  /** The virtual user, or null. */
  Future<VirtualUser> virtualUser(String id);

  /** The virtual users {@code member} belongs to, sorted. */
  Future<List<String>> virtualUsersOf(String member);

  /** The whole directory: every user and virtual user (read at a node's start, to restore a store that lost it). */
  Future<DirectoryFile> snapshot();

  /** The virtual user's aggregated status with its members' status, load and capacity, or null. */
  Future<VirtualUserStatus> virtualUserStatus(String id);
}
