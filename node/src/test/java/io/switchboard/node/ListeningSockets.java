package io.switchboard.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The TCP addresses a process listens on, read from Linux's /proc as {@code ss -ltnp} would show them. */
final class ListeningSockets {

  private static final String LISTEN = "0A";

  private ListeningSockets() {
  }

  /** Each listening socket of process {@code pid} as {@code address:port} ({@code 0.0.0.0} or {@code ::} for any). */
  static List<String> of(long pid) {
    Set<String> inodes = socketInodes(pid);
    List<String> listening = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          String[] fields = line.trim().split("\\s+");
          if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
            listening.add(address(fields[1]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return listening;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listed
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inodes;
  }

  /** {@code 0100007F:1F90} is 127.0.0.1:8080: IPv4 bytes in host (little-endian) order, the port in hex. */
  private static String address(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String ip = parts[0];
    if (ip.length() == 8) {
      return (Integer.parseInt(ip.substring(6, 8), 16)) + "." + Integer.parseInt(ip.substring(4, 6), 16) + "."
          + Integer.parseInt(ip.substring(2, 4), 16) + "." + Integer.parseInt(ip.substring(0, 2), 16) + ":" + port;
    }
    // IPv6: four little-endian 32-bit words; only the any-address and loopback matter here.
    if (ip.matches("0+")) {
      return ":::" + port;
    }
    if (ip.equals("00000000000000000000000001000000")) {
      return "::1:" + port;
    }
    if (ip.startsWith("0000000000000000FFFF0000")) {
      return address(ip.substring(24) + ":" + parts[1]);
    }
    return ip + ":" + port;
  }
}
