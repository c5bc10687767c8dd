package io.switchboard.bench;

/**
 * How the bench names the users of its directory, so that the load scenarios and {@code directory} agree:
 * sources {@code src-1…}, virtual users {@code vu-1…}, and the members of {@code vu-v} {@code vu-v-m-1…}.
 * Numbers start at 1.
 */
final class Names {

  private Names() {
  }

  static String source(int number) {
    return "src-" + number;
  }

  static String virtualUser(int number) {
    return "vu-" + number;
  }

  static String member(int virtualUser, int number) {
    return "vu-" + virtualUser + "-m-" + number;
  }
}
