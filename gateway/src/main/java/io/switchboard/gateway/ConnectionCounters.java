package io.switchboard.gateway;

import java.util.concurrent.atomic.LongAdder;

/** What the node's connections ran into, counted for the whole node (every gateway verticle shares one). */
public final class ConnectionCounters {

  private final LongAdder outboundOverflows = new LongAdder();
  private final LongAdder authTimeouts = new LongAdder();
  private final LongAdder open = new LongAdder();
  private final LongAdder refusedMessages = new LongAdder();

  /** Client connections open now, authenticated or not. */
  public long open() {
    return open.sum();
  }

  /** Connections closed because their client did not read what it was sent (outbound buffer full). */
  public long outboundOverflows() {
    return outboundOverflows.sum();
  }

  /** Connections closed because they did not authenticate in time. */
  public long authTimeouts() {
    return authTimeouts.sum();
  }

  /**
   * Messages refused because their recipient's mailbox or held messages were full (docs/PROTOCOL.md §Bounds of
   * waiting messages).
   */
  public long refusedMessages() {
    return refusedMessages.sum();
  }

  void outboundOverflow() {
    outboundOverflows.increment();
  }

  void opened() {
    open.increment();
  }

  void closed() {
    open.decrement();
  }

  void authTimeout() {
    authTimeouts.increment();
  }

  void refusedMessage() {
    refusedMessages.increment();
  }
}
