package io.switchboard.node;

import java.util.List;

/** The seeds' stories on the embedded store. */
class SeedStoriesEmbeddedTest extends SeedStories {

  @Override
  List<String> storeOptions() {
    return List.of();
  }
}
