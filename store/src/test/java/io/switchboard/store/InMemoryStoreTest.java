package io.switchboard.store;

/** The embedded store obeys the store contract. */
class InMemoryStoreTest extends SwitchboardStoreContract {

  @Override
  protected SwitchboardStore newStore() {
    return new InMemoryStore(DECISIONS_KEPT);
  }
}
