package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counting a connection's unflushed bytes from its writes' futures, as the socket completes them. */
class OutboundBufferTest {

  @Test
  void passingTheBoundIsReportedAndFlushedBytesNoLongerCount() {
    OutboundBuffer buffer = new OutboundBuffer(1000);
    Promise<Void> first = Promise.promise();
    assertTrue(buffer.write(600, first.future()));
    Promise<Void> second = Promise.promise();
    assertFalse(buffer.write(600, second.future()), "1,200 bytes waiting pass the bound of 1,000");
    first.complete();
    second.fail("the socket closed");
    assertTrue(buffer.write(1000, Promise.<Void>promise().future()), "written or failed, a write no longer counts");
  }

  @Test
  void roomComesOnceAtMostHalfTheBoundWaits() {
    OutboundBuffer buffer = new OutboundBuffer(1000);
    assertTrue(buffer.room().succeeded());
    Promise<Void> big = Promise.promise();
    Promise<Void> small = Promise.promise();
    buffer.write(400, big.future());
    buffer.write(200, small.future());
    Future<Void> room = buffer.room();
    assertFalse(room.isComplete(), "600 of 1,000 bytes waiting");
    small.complete();
    assertTrue(room.succeeded(), "400 bytes waiting: half the bound or less");
  }

  @Test
  void whoeverWaitsForRoomStopsWhenTheConnectionCloses() {
    OutboundBuffer buffer = new OutboundBuffer(1000);
    buffer.write(900, Promise.<Void>promise().future());
    Future<Void> room = buffer.room();
    buffer.close();
    assertTrue(room.failed());
    assertTrue(buffer.room().failed());
  }
}
