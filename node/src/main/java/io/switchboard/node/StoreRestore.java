package io.switchboard.node;

import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.store.DirectoryStore;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a node does when the store lost everything it held (restarted without persistence, or flushed): it puts back
 * its copy of the directory, the conversations of the users connected to it (each going on after the last seq seen
 * here), then its sessions, so that service comes back by itself. What only the store held is lost, and said so:
 * history, routing decisions, transcripts, mailboxes, held messages, handling rules. The node is not ready meanwhile.
 */
final class StoreRestore implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(StoreRestore.class);

  private final DirectoryMirror mirror;
  private final DirectoryStore directory;
  private final List<GatewayVerticle> gateways;
  private final AtomicBoolean restoring = new AtomicBoolean();

  StoreRestore(DirectoryMirror mirror, DirectoryStore directory, List<GatewayVerticle> gateways) {
    this.mirror = mirror;
    this.directory = directory;
    this.gateways = gateways;
  }

  /** Whether a restore is under way: the node is not ready. */
  boolean restoring() {
    return restoring.get();
  }

  @Override
  public void run() {
    if (!restoring.compareAndSet(false, true)) {
      return;
    }
    LOG.error("the store lost everything it held (restarted empty or flushed): putting back the directory, and the"
        + " conversations and sessions of this node; history, routing decisions, transcripts, mailboxes, held messages"
        + " and handling rules are lost");
    mirror.putBack(directory)
        .compose(directoryBack -> Future.join(gateways.stream().map(GatewayVerticle::restoreConversations).toList()))
        .onComplete(done -> {
          gateways.forEach(GatewayVerticle::reannounceSessions);
          restoring.set(false);
          if (done.succeeded()) {
            LOG.warn("the store has this node's directory, conversations and sessions again");
          } else {
            LOG.error("could not restore the store: {}; the next renewal of the lease tries again", done.cause().getMessage());
          }
        });
  }
}
