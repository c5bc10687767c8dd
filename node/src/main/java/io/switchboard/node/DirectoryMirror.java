package io.switchboard.node;

import io.switchboard.contract.Addresses;
import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.DirectoryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * This node's copy of the directory: read from the store when the node starts, and kept up with every change
 * anywhere in the cluster ({@link Addresses#DIRECTORY_CHANGED}). A store that lost everything (restarted empty, or
 * flushed) gets it back from here, so logins and routing work again without an operator.
 */
final class DirectoryMirror {

  /** Definitions put back at once: enough to keep the store busy, well inside its connections' queues. */
  private static final int PUT_BACK_BATCH = 100;

  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Map<String, VirtualUser> virtualUsers = new ConcurrentHashMap<>();

  /** Follows the directory's changes from now on, then reads what the store holds. */
  Future<Void> start(Vertx vertx, DirectoryStore directory) {
    return vertx.eventBus().<JsonObject>consumer(Addresses.DIRECTORY_CHANGED, msg -> {
          JsonObject user = msg.body().getJsonObject("user");
          if (user != null) {
            record(User.fromJson(user));
          } else {
            record(VirtualUser.fromJson(msg.body().getJsonObject("virtualUser")));
          }
        }).completion()
        .compose(following -> directory.snapshot())
        .onSuccess(snapshot -> {
          snapshot.users().forEach(user -> users.putIfAbsent(user.id(), user));
          snapshot.virtualUsers().forEach(virtualUser -> virtualUsers.putIfAbsent(virtualUser.id(), virtualUser));
        })
        .mapEmpty();
  }

  void record(User user) {
    users.put(user.id(), user);
  }

  void record(VirtualUser virtualUser) {
    virtualUsers.put(virtualUser.id(), virtualUser);
  }

  /** Everything this node knows of the directory. */
  DirectoryFile copy() {
    return new DirectoryFile(List.copyOf(users.values()), List.copyOf(virtualUsers.values()));
  }

  /** Puts the copy back into a store that lost it: the users first, as virtual users need their members. */
  Future<Void> putBack(DirectoryStore directory) {
    DirectoryFile copy = copy();
    return inBatches(copy.users(), directory::putUser)
        .compose(users -> inBatches(copy.virtualUsers(), directory::putVirtualUser));
  }

  private static <T> Future<Void> inBatches(List<T> items, Function<T, Future<Void>> put) {
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < items.size(); from += PUT_BACK_BATCH) {
      List<T> batch = items.subList(from, Math.min(items.size(), from + PUT_BACK_BATCH));
      done = done.compose(previous -> Future.all(batch.stream().map(put).toList()).mapEmpty());
    }
    return done;
  }
}
