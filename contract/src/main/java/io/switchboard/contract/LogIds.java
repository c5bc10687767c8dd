package io.switchboard.contract;

import org.slf4j.MDC;

/**
 * The ids a log line is about — user, session, conversation — in the MDC for that line alone, where a log format
 * shows them (the text pattern's brackets, the JSON encoder's {@code mdc}). An event loop serves many sessions in
 * turn, so ids must not stay on its thread after the line.
 */
public final class LogIds {

  public static final String USER = "user";
  public static final String SESSION = "session";
  public static final String CONVERSATION = "conversation";
  /** Who made an admin change: the {@code sub} of the admin token. */
  public static final String ADMIN = "admin";

  private LogIds() {
  }

  /** Runs {@code line} (one logging call) with the given ids, as name, id, name, id…; null ids are left out. */
  public static void log(Runnable line, String... namesAndIds) {
    for (int i = 0; i + 1 < namesAndIds.length; i += 2) {
      if (namesAndIds[i + 1] != null) {
        MDC.put(namesAndIds[i], namesAndIds[i + 1]);
      }
    }
    try {
      line.run();
    } finally {
      for (int i = 0; i + 1 < namesAndIds.length; i += 2) {
        MDC.remove(namesAndIds[i]);
      }
    }
  }
}
