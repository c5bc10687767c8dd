package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The bytes of one connection written but not yet flushed to its socket, counted from the writes' futures
 * (a write completes once its bytes left for the socket). Lives on the connection's event loop.
 */
final class OutboundBuffer {

  private final long maxBytes;
  private long pendingBytes;
  private Promise<Void> roomWaiter;
  private boolean closed;

  OutboundBuffer(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Counts a write of {@code bytes}; false when that passes the bound, and the connection is to be closed. */
  boolean write(int bytes, Future<Void> written) {
    pendingBytes += bytes;
    written.onComplete(done -> flushed(bytes));
    return pendingBytes <= maxBytes;
  }

  private void flushed(int bytes) {
    pendingBytes -= bytes;
    if (roomWaiter != null && hasRoom()) {
      Promise<Void> waiter = roomWaiter;
      roomWaiter = null;
      waiter.complete();
    }
  }

  private boolean hasRoom() {
    return pendingBytes <= maxBytes / 2;
  }

  /** Completes once at most half the bound is pending; fails once the connection closed. */
  Future<Void> room() {
    if (closed) {
      return Future.failedFuture("the connection is closed");
    }
    if (hasRoom()) {
      return Future.succeededFuture();
    }
    if (roomWaiter == null) {
      roomWaiter = Promise.promise();
    }
    return roomWaiter.future();
  }

  /** The connection is gone: whoever waits for room stops waiting. */
  void close() {
    closed = true;
    if (roomWaiter != null) {
      roomWaiter.tryFail("the connection is closed");
      roomWaiter = null;
    }
  }
}
