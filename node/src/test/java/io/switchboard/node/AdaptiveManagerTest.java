package io.switchboard.node;

import java.time.Duration;

/** The adaptive manager on the embedded store: one node, whose "days" are seconds apart on its stopped clock. */
class AdaptiveManagerTest extends AdaptiveManagerCases {

  private final StoppableClock clock = new StoppableClock();
  private TestNode node;

  @Override
  TestNode startDay(int day) {
    clock.stopAt(DAY_ONE.plus(Duration.ofSeconds(day - 1)));
    if (node == null) {
      node = TestNode.start(newVertx(resources), dir, NodeTestBase.directory(), clock);
    }
    return node;
  }

  @Override
  int distinctDays() {
    return 1;
  }
}
