package io.switchboard.store;

import io.switchboard.contract.Status;
import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.InvalidDefinitionException;
import io.switchboard.directory.Policy;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store's directory must do. */
public abstract class DirectoryStoreContract extends StoreContract {

  @Test
  void aVirtualUserWithAMemberThatIsNotAUserIsRefused() {
    Future<Void> put = settled(stores.directory().putVirtualUser(
        new VirtualUser("ghosts", null, List.of("anna", "casper"), Policy.DEFAULT)));
    assertTrue(assertInstanceOf(InvalidDefinitionException.class, put.cause()).getMessage().contains("casper"));
    assertNull(done(stores.directory().virtualUser("ghosts")));
  }

  @Test
  void anIdIsEitherAUserOrAVirtualUser() {
    assertInstanceOf(InvalidDefinitionException.class,
        settled(stores.directory().putUser(new User("shop", null, null, null, null))).cause());
    assertInstanceOf(InvalidDefinitionException.class, settled(stores.directory().putVirtualUser(
        new VirtualUser("anna", null, List.of("bob"), Policy.DEFAULT))).cause());
  }

  @Test
  void usersAndVirtualUsersReadBackAsStored() {
    User dora = new User("dora", "Dora", null, io.vertx.core.json.JsonObject.of("tier", "senior"), 3);
    done(stores.directory().putUser(dora));
    assertEquals(dora, done(stores.directory().user("dora")));
    assertEquals(List.of("anna", "bob"), done(stores.directory().virtualUser("shop")).members());
    assertNull(done(stores.directory().user("nobody")));
  }

  @Test
  void aMemberKnowsItsVirtualUsersAndLeavesThoseThatDropIt() {
    assertEquals(List.of("desk", "shop"), done(stores.directory().virtualUsersOf("bob")));
    assertEquals(List.of(), done(stores.directory().virtualUsersOf("abc")));

    putVirtualUser("desk", "cora");

    assertEquals(List.of("shop"), done(stores.directory().virtualUsersOf("bob")));
  }

  @Test
  void theSnapshotHoldsTheWholeDirectory() {
    DirectoryFile snapshot = done(stores.directory().snapshot());

    assertEquals(List.of("abc", "anna", "bob", "cora", "xyz"), snapshot.users().stream().map(User::id).sorted().toList());
    assertEquals(Integer.valueOf(1), snapshot.users().stream().filter(user -> user.id().equals("cora")).findFirst()
        .orElseThrow().maxConversations());
    assertEquals(List.of("desk", "shop", "solo"), snapshot.virtualUsers().stream().map(VirtualUser::id).sorted().toList());
  }

  @Test
  void theStatusOfAVirtualUserShowsEachMemberWithItsWholeLoadAndCapacity() {
    connect("bob", "b1");
    connect("cora", "c1");
    open("c1", "shop", "bob", T0);
    open("c2", "cora", "cora", T0);

    VirtualUserStatus desk = done(stores.directory().virtualUserStatus("desk"));

    assertEquals(Status.ONLINE, desk.status());
    assertEquals(List.of(new VirtualUserStatus.Member("bob", Status.ONLINE, 1, null),
        new VirtualUserStatus.Member("cora", Status.ONLINE, 1, 1)), desk.members(),
        "bob's conversation through shop and cora's direct one count too");
    assertNull(done(stores.directory().virtualUserStatus("nobody")));
  }
}
