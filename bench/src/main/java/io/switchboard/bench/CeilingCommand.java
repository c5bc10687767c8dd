package io.switchboard.bench;

import io.switchboard.contract.SessionRef;
import io.switchboard.directory.DirectoryFile;
import io.switchboard.directory.Policy;
import io.switchboard.directory.User;
import io.switchboard.directory.VirtualUser;
import io.switchboard.store.MemberState;
import io.switchboard.store.Reservation;
import io.switchboard.store.Stores;
import io.switchboard.store.redis.RedisStoreOptions;
import io.switchboard.store.redis.RedisStores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store ceiling: a routing decision's own store steps (read the virtual user's routing state, reserve a member,
 * and give the reservation back so loads stay flat) issued as fast as one client can, with many decisions pipelined
 * on its connections. The setup scenario's rate is then read as a share of this.
 */
final class CeilingCommand {

  static final Map<String, String> OPTIONS = Options.table(new LinkedHashMap<>(DirectoryCommand.OPTIONS),
      "redis", "the Redis to measure, redis://host:port (its data is overwritten with the directory)",
      "in-flight", "route requests pipelined at once (default 64)",
      "warmup", "time before measuring (default 3s)",
      "duration", "time measured (default 10s)");

  private CeilingCommand() {
  }

  static JsonObject run(Options options) throws Exception {
    DirectoryFile directory = DirectoryFile.fromJson(DirectoryCommand.generate(options));
    int inFlight = options.integer("in-flight", 64, 1);
    Duration warmup = options.duration("warmup", Duration.ofSeconds(3));
    Duration duration = options.duration("duration", Duration.ofSeconds(10));
    Vertx vertx = Vertx.vertx();
    try {
      Stores store = await(RedisStores.connect(vertx, RedisStoreOptions.standalone(options.required("redis"))));
      for (User user : directory.users()) {
        await(store.directory().putUser(user));
      }
      for (VirtualUser virtualUser : directory.virtualUsers()) {
        await(store.directory().putVirtualUser(virtualUser));
      }
      // Members online, so that every decision reserves a member, as a real setup does.
      for (VirtualUser virtualUser : directory.virtualUsers()) {
        for (String member : virtualUser.members()) {
          await(store.presence().connect(new SessionRef(member, "bench-" + member, "bench", "bench/1")));
        }
      }
      List<String> sources = directory.users().stream().map(User::id).filter(id -> id.startsWith("src-")).toList();
      List<String> destinations = directory.virtualUsers().stream().map(VirtualUser::id).toList();
      Latency latency = new Latency();
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long start = System.nanoTime();
      long measureFrom = start + warmup.toNanos();
      long end = measureFrom + duration.toNanos();
      Promise<Void> finished = Promise.promise();
      AtomicLong running = new AtomicLong(inFlight);
      vertx.runOnContext(v -> {
        for (int i = 0; i < inFlight; i++) {
          loop(store, sources, destinations, measureFrom, end, latency, done, failed, running, finished);
        }
      });
      await(finished.future());
      double seconds = duration.toNanos() / 1e9;
      return new JsonObject().put("scenario", "ceiling").put("operation", "routing state, reserve, cancel")
          .put("inFlight", inFlight).put("seconds", seconds).put("routes", done.get())
          .put("routesPerSecond", Math.round(done.get() / seconds)).put("failed", failed.get())
          .put("latency", latency.toJson());
    } finally {
      vertx.close();
    }
  }

  private static void loop(Stores store, List<String> sources, List<String> destinations, long measureFrom,
                           long end, Latency latency, AtomicLong done, AtomicLong failed, AtomicLong running,
                           Promise<Void> finished) {
    long sent = System.nanoTime();
    if (sent >= end) {
      if (running.decrementAndGet() == 0) {
        finished.tryComplete();
      }
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String destination = destinations.get(random.nextInt(destinations.size()));
    String conversation = "c-bench-" + random.nextLong();
    long now = System.currentTimeMillis();
    store.conversations().routingState(destination, sources.get(random.nextInt(sources.size())), now)
        .compose(state -> {
          MemberState member = state.members().get(random.nextInt(state.members().size()));
          Reservation reservation = new Reservation(member.id(), conversation, Policy.DEFAULT_AVAILABLE, "bench",
              Integer.MAX_VALUE, now);
          return store.conversations().reserve(reservation)
              .compose(reserved -> store.conversations().cancel(reservation));
        })
        .onComplete(result -> {
      long answered = System.nanoTime();
      if (answered >= measureFrom && answered < end) {
        if (result.succeeded()) {
          done.incrementAndGet();
          latency.recordNanos(answered - sent);
        } else {
          failed.incrementAndGet();
        }
      }
      loop(store, sources, destinations, measureFrom, end, latency, done, failed, running, finished);
    });
  }

  private static <T> T await(Future<T> future) throws Exception {
    // The command's own main thread waits; no event loop ever blocks here.
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
