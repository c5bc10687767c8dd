package io.switchboard.store.memory;

import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.DirectoryStore;
import io.switchboard.store.VirtualUserStatus;
import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/** The embedded store's directory. */
final class InMemoryDirectory implements DirectoryStore {

  private final InMemoryData data;

  InMemoryDirectory(InMemoryData data) {
    this.data = data;
  }

  @Override
  public Future<Void> putUser(User user) {
    return data.atomically(() -> {
      if (data.virtualUsers.containsKey(user.id())) {
        throw new InvalidDefinitionException("id " + user.id() + " belongs to a virtual user");
      }
      data.users.put(user.id(), user);
      return null;
    });
  }

  @Override
  public Future<Void> putVirtualUser(VirtualUser virtualUser) {
    return data.atomically(() -> {
      if (data.users.containsKey(virtualUser.id())) {
        throw new InvalidDefinitionException("id " + virtualUser.id() + " belongs to a user");
      }
      for (String member : virtualUser.members()) {
        if (!data.users.containsKey(member)) {
          throw new InvalidDefinitionException("member " + member + " is not a user");
        }
      }
      VirtualUser previous = data.virtualUsers.put(virtualUser.id(), virtualUser);
      data.historyRetention.merge(virtualUser.id(), virtualUser.historyRetention().toMillis(), Math::max);
      if (previous != null) {
        previous.members().forEach(member -> data.virtualUsersOfMember.get(member).remove(previous.id()));
      }
      virtualUser.members().forEach(member -> InMemoryData.setIn(data.virtualUsersOfMember, member).add(virtualUser.id()));
      return null;
    });
  }

  @Override
  public Future<User> user(String id) {
    return data.atomically(() -> data.users.get(id));
  }

  @Override
  public Future<VirtualUser> virtualUser(String id) {
    return data.atomically(() -> data.virtualUsers.get(id));
  }

  @Override
  public Future<List<String>> virtualUsersOf(String member) {
    return data.atomically(() -> data.virtualUsersOfMember.getOrDefault(member, Set.of()).stream().sorted().toList());
  }

  @Override
  public Future<DirectoryFile> snapshot() {
    return data.atomically(() -> new DirectoryFile(List.copyOf(data.users.values()), List.copyOf(data.virtualUsers.values())));
  }

  @Override
  public Future<VirtualUserStatus> virtualUserStatus(String id) {
    return data.atomically(() -> {
      VirtualUser virtualUser = data.virtualUsers.get(id);
      if (virtualUser == null) {
        return null;
      }
      List<VirtualUserStatus.Member> members = virtualUser.members().stream()
          .map(member -> new VirtualUserStatus.Member(member, data.statusOf(member), data.loadOf(member),
              data.users.get(member).maxConversations()))
          .toList();
      return new VirtualUserStatus(id, data.aggregate(virtualUser), members);
    });
  }
}
