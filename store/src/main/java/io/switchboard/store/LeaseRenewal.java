package io.switchboard.store;

/**
 * What a lease renewal found: the node still held its lease; or it had been taken away (the node was judged dead and
 * evicted), and the node must announce its sessions again; or the store itself lost what it held (restarted empty or
 * flushed: its epoch is not the one the node knew), and the node must restore what it can before that. {@code epoch}
 * is the store's epoch now.
 */
public record LeaseRenewal(State state, String epoch) {

  /**
   * {@code EVICTING}: the node was judged dead and another node is disconnecting its sessions right now; the lease is
   * not taken, so that the node announces its sessions again only after that (a later renewal finds {@code LOST}),
   * never before a disconnect that would undo it.
   */
  public enum State { HELD, LOST, RESET, EVICTING }
}
