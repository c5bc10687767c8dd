package io.switchboard.node;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Selection and the load increment are one atomic step: a burst of opens never pushes a member past its
 * capacity, and every open gets an answer.
 */
class CapacityTest extends NodeTestBase {

  @Override
  String[] nodeOptions() {
    return CapacityCheck.NODE_OPTIONS.toArray(String[]::new);
  }

  @Test
  void fiveHundredOpensAtOnceNeverExceedAMembersCapacity() {
    CapacityCheck.run(List.of(connect("abc"), connect("bob"), connect("carol")),
        RUSH_MEMBERS.stream().map(this::connect).toList());
  }
}
