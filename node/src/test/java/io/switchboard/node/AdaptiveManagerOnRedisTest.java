package io.switchboard.node;

/**
 * The adaptive manager on Redis: every day a new node (in a new Vert.x) on the same Redis, its clock stopped at that
 * day's morning, so what the user taught the server on earlier days must have survived each restart.
 */
class AdaptiveManagerOnRedisTest extends AdaptiveManagerCases {

  private RedisDays days;

  @Override
  TestNode startDay(int day) {
    if (days == null) {
      days = new RedisDays(dir, resources);
    }
    return days.start(day);
  }

  @Override
  int distinctDays() {
    return 3;
  }
}
