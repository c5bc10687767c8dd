package io.switchboard.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The POSIX signals tests send to the processes they run (redis-server, node JVMs) through {@code kill}: Java
 * itself can only send SIGTERM and SIGKILL, and fault tests also freeze a process and let it go on.
 */
public enum Signal {
  /** Freezes the process: its sockets stay open and nothing answers. */
  STOP,
  /** Lets a frozen process go on. */
  CONT,
  /** Asks the process to shut down (its shutdown hooks run). */
  TERM;

  private static final long KILL_TIMEOUT_SECONDS = 10;

  /** Sends this signal to the process {@code pid}; fails if {@code kill} does. */
  public void send(long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name(), Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name() + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
