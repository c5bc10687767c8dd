package io.switchboard.store.memory;

import io.switchboard.store.ConversationStoreContract;
import io.switchboard.store.DirectoryStoreContract;
import io.switchboard.store.MessageStoreContract;
import io.switchboard.store.PresenceStoreContract;
import io.switchboard.store.QueueStoreContract;
import io.switchboard.store.RulesStoreContract;
import io.switchboard.store.StoreContract;
import io.switchboard.store.Stores;
import org.junit.jupiter.api.Nested;

/** The embedded store obeys every slice's contract. */
class InMemoryStoresTest {

  private static Stores fresh() {
    return new InMemoryStores(StoreContract.DECISIONS_KEPT);
  }

  @Nested
  class Directory extends DirectoryStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Presence extends PresenceStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Conversations extends ConversationStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected Stores newStores() {
      return new InMemoryStores(StoreContract.DECISIONS_KEPT, MessageStoreContract.LIMITS);
    }
  }

  @Nested
  class Rules extends RulesStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }

  @Nested
  class Queues extends QueueStoreContract {
    @Override
    protected Stores newStores() {
      return fresh();
    }
  }
}
