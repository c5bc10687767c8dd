package io.switchboard.node;

import io.switchboard.store.redis.RedisServer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The days of a scripted user on Redis: every day a new node (in a new Vert.x) on the same Redis, its clock stopped at
 * that day's morning ({@link AdaptiveManagerCases#DAY_ONE} and the days after), so what the user taught the server on
 * earlier days must have survived each restart. A test may move {@link #clock} on within a day.
 */
final class RedisDays {

  final StoppableClock clock = new StoppableClock();
  private final Path dir;
  private final List<AutoCloseable> resources;
  private final String[] options;
  private RedisServer redis;
  private TestNode node;

  /** Nodes with the test directory in {@code dir}, closed with {@code resources}, started with {@code options}. */
  RedisDays(Path dir, List<AutoCloseable> resources, String... options) {
    this.dir = dir;
    this.resources = resources;
    this.options = options;
  }

  /** The morning of {@code day} (1, 2, …). */
  static Instant morning(int day) {
    return AdaptiveManagerCases.DAY_ONE.plus(Duration.ofDays(day - 1));
  }

  /** Stops the previous day's node and starts {@code day}'s, its clock stopped at that morning. */
  TestNode start(int day) {
    if (redis == null) {
      redis = RedisServer.builder().build().start();
      resources.add(redis);
    }
    if (node != null) {
      TestClient.await(node.node.stop(Duration.ofSeconds(5)));
      TestClient.await(node.vertx.close());
    }
    clock.stopAt(morning(day));
    String[] args = new String[options.length + 2];
    args[0] = "--redis";
    args[1] = redis.uri();
    System.arraycopy(options, 0, args, 2, options.length);
    node = TestNode.start(AdaptiveManagerCases.newVertx(resources), dir, NodeTestBase.directory(), clock, args);
    return node;
  }
}
