package io.switchboard.admin;

import io.switchboard.contract.Addresses;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SwitchboardMetrics;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.QueueEntry;
import io.switchboard.store.VirtualUserStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One supervisor's live view of a virtual user as Server-Sent Events (docs/ADMIN-API.md): first its members with
 * status and load (and its queue, when it has one), then every event any node publishes for it ({@link Addresses#live})
 * as it comes, the members again whenever one's status changes or a conversation opens, closes or moves, and the queue
 * again whenever a router changed it. Each is read afresh from the store, one read of each at a time (changes during
 * a read cause one more). Bounded: a write that finds the response's write queue full closes the stream
 * (counted), so a client that reads slowly costs at most {@link #WRITE_QUEUE_BYTES}; a comment when nothing happened
 * for a while keeps the connection open through proxies and finds clients that are gone. Lives on the event loop of the request.
 */
final class LiveStream {

  /** Bytes a live view may have waiting for its client before it is dropped. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;
  /** Entries of a queue a live view shows, head first. */
  static final int QUEUE_SHOWN = 100;

  private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);
  private static final Set<String> CHANGING_LOADS = Set.of("opened", "closed", "transferred");

  private final RoutingContext ctx;
  private final Vertx vertx;
  private final LiveViews views;
  private final String id;
  private final HttpServerResponse response;
  private Set<String> members;
  private MessageConsumer<JsonObject> events;
  private MessageConsumer<PresenceChange> presence;
  private long keepalive;
  private final Refresh membersRead = new Refresh(this::readMembers);
  private final Refresh queueRead = new Refresh(this::readQueue);
  private boolean closed;

  private LiveStream(RoutingContext ctx, LiveViews views, VirtualUser virtualUser) {
    this.ctx = ctx;
    this.vertx = ctx.vertx();
    this.views = views;
    this.id = virtualUser.id();
    this.response = ctx.response();
    this.members = Set.copyOf(virtualUser.members());
  }

  /** Serves {@code GET …/virtual-users/{id}/live}: 404 for an unknown virtual user, 503 past the node's live views. */
  static void serve(RoutingContext ctx, LiveViews views) {
    String id = ctx.pathParam("id");
    views.directory.virtualUser(id)
        .onSuccess(virtualUser -> {
          if (virtualUser == null) {
            ctx.fail(ApiError.notFound("no virtual user " + id));
          } else if (!views.admit()) {
            SwitchboardMetrics.of(ctx.vertx()).liveViewRefused();
            ctx.fail(ApiError.unavailable("this node serves at most " + views.maxClients()
                + " live views at once; try again later or on another node"));
          } else {
            new LiveStream(ctx, views, virtualUser).start(virtualUser.policy().queue() != null);
          }
        })
        .onFailure(ctx::fail);
  }

  private void start(boolean queued) {
    response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").setChunked(true).setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    response.closeHandler(gone -> close());
    EventBus bus = vertx.eventBus();
    events = bus.consumer(Addresses.live(id), msg -> onEvent(msg.body()));
    presence = bus.consumer(Addresses.PRESENCE_CHANGED, msg -> onPresence(msg.body()));
    keepalive = vertx.setPeriodic(views.keepalive.toMillis(), tick -> write(": keepalive\n\n"));
    write(": live view of " + id + "\n\n");
    // Listening across the cluster before the first read, so that nothing between the two is missed.
    events.completion().onComplete(registered -> {
      membersRead.ask();
      if (queued) {
        queueRead.ask();
      }
    });
  }

  private void onEvent(JsonObject event) {
    String type = event.getString("type");
    if (Addresses.LIVE_QUEUE_CHANGED.equals(type)) {
      queueRead.ask();
      return;
    }
    write(sse(type, event));
    if (CHANGING_LOADS.contains(type)) {
      membersRead.ask();
    }
  }

  private void onPresence(PresenceChange change) {
    if (change.user().equals(id) || members.contains(change.user())) {
      membersRead.ask();
    }
  }

  /** One store read at a time: a read asked for while one runs follows it, once. */
  private final class Refresh {
    private final Supplier<Future<?>> read;
    private boolean reading;
    private boolean again;

    Refresh(Supplier<Future<?>> read) {
      this.read = read;
    }

    void ask() {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      read.get().onComplete(done -> {
        reading = false;
        if (done.failed() && !closed) {
          LOG.debug("live view of {}: a read failed: {}", id, done.cause().getMessage());
        }
        if (again && !closed) {
          again = false;
          ask();
        }
      });
    }
  }

  /** Sends the members with their status and load. */
  private Future<?> readMembers() {
    return views.directory.virtualUserStatus(id).onSuccess(status -> {
      if (status != null && !closed) {
        members = status.members().stream().map(VirtualUserStatus.Member::id).collect(Collectors.toUnmodifiableSet());
        write(sse("members", status.toJson()));
      }
    });
  }

  /** Sends the queue, head first (at most {@link #QUEUE_SHOWN} entries). */
  private Future<?> readQueue() {
    return views.queues.waiting(id, QUEUE_SHOWN).onSuccess(waiting -> {
      JsonArray entries = new JsonArray();
      for (int i = 0; i < waiting.size(); i++) {
        QueueEntry entry = waiting.get(i);
        entries.add(new JsonObject().put("position", i + 1).put("source", entry.request().source())
            .put("conversation", entry.conversation()).put("priority", entry.priority())
            .put("since", entry.enqueuedAt()).put("deadline", entry.deadline()));
      }
      if (!closed) {
        write(sse("queue", new JsonObject().put("ts", System.currentTimeMillis()).put("waiting", entries)));
      }
    });
  }

  private static String sse(String type, JsonObject data) {
    return "event: " + type + "\ndata: " + data.encode() + "\n\n";
  }

  private void write(String text) {
    if (closed) {
      return;
    }
    if (response.writeQueueFull()) {
      views.drop();
      SwitchboardMetrics.of(vertx).liveViewDropped();
      LOG.warn("live view of {} dropped: its client did not read what it was sent ({} bytes waiting)", id,
          WRITE_QUEUE_BYTES);
      close();
      ctx.request().connection().close();
      return;
    }
    response.write(text);
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    views.leave();
    vertx.cancelTimer(keepalive);
    events.unregister();
    presence.unregister();
  }
}
