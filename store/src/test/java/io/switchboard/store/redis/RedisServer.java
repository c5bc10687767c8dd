package io.switchboard.store.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} from the PATH for tests: on a free loopback port, in a temporary directory of its own,
 * keeping nothing on disk. It can be killed and started again on the same port, and is stopped by {@link #close()}.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.builder().build().start()) { … server.uri() … }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  private static final String HOST = "127.0.0.1";
  private static final int CLUSTER_BUS_OFFSET = 10_000;
  private static final int MAX_PORT = 65_535;

  /** Builds a server; {@link #start()} runs it. */
  public static final class Builder {
    private final List<String> args = new ArrayList<>();
    private boolean cluster;

    private Builder() {
    }

    /** A Redis Cluster node; its cluster bus listens on the port + 10000, which must be free too. */
    public Builder clusterNode() {
      cluster = true;
      return option("cluster-enabled", "yes").option("cluster-config-file", "nodes.conf");
    }

    /** Adds a configuration option, e.g. {@code option("cluster-enabled", "yes")}. */
    public Builder option(String name, String value) {
      args.add("--" + name);
      args.add(value);
      return this;
    }

    public RedisServer build() {
      try {
        return new RedisServer(List.copyOf(args), Files.createTempDirectory("redis-test-"), freePort(cluster));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private final List<String> options;
  private final Path directory;
  private final int port;
  private Process process;

  private RedisServer(List<String> options, Path directory, int port) {
    this.options = options;
    this.directory = directory;
    this.port = port;
    // a test JVM that ends without closing it (a crash, a timeout) leaves no server behind
    Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
  }

  public int port() {
    return port;
  }

  /** {@code host:port}, as a cluster node is named. */
  public String address() {
    return HOST + ":" + port;
  }

  public String uri() {
    return "redis://" + address();
  }

  /** Starts the server (again, on the same port) and returns once it answers PING. */
  public synchronized RedisServer start() {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", HOST,
        "--save", "", "--appendonly", "no", "--dir", directory.toString()));
    command.addAll(options);
    try {
      process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-server: it must be on the PATH", e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try {
        if ("PONG".equals(call("PING"))) {
          LOG.debug("redis-server ready on port {}", port);
          return this;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server on port " + port + " did not start; its log:\n" + logText());
      }
      pause(POLL_INTERVAL);
    }
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers. */
  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Removes every key (the scripts stay loaded). */
  public void flushAll() {
    command("FLUSHALL");
  }

  /** Forgets every script, as a restart would. */
  void flushScripts() {
    command("SCRIPT", "FLUSH");
  }

  private void command(String... args) {
    try {
      call(args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    kill();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not remove {}", directory, e);
    }
  }

  /**
   * Sends one command on a connection of its own and returns the reply as text: a status, an integer or a bulk
   * string (nil as null); an error reply is thrown. Enough for managing servers, and independent of the client
   * under test.
   */
  String call(String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), (int) START_TIMEOUT.toMillis());
      socket.setSoTimeout((int) START_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        request.write(bytes);
        request.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(request.toByteArray());
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String line = readLine(in);
      return switch (line.charAt(0)) {
        case '+', ':' -> line.substring(1);
        case '-' -> throw new IOException("Redis error: " + line.substring(1));
        case '$' -> {
          int length = Integer.parseInt(line.substring(1));
          if (length < 0) {
            yield null;
          }
          byte[] bulk = in.readNBytes(length + 2);
          yield new String(bulk, 0, length, StandardCharsets.UTF_8);
        }
        default -> throw new IOException("unexpected reply " + line);
      };
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int next = in.read(); next != -1; next = in.read()) {
      if (previous == '\r' && next == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(next);
      previous = next;
    }
    throw new IOException("connection closed before a reply");
  }

  private Path log() {
    return directory.resolve("redis.log");
  }

  private String logText() {
    try {
      return Files.readString(log());
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A port free now (and, for a cluster node, with its bus port free too). */
  private static int freePort(boolean withBus) throws IOException {
    while (true) {
      int port = bind(0);
      if (!withBus) {
        return port;
      }
      if (port + CLUSTER_BUS_OFFSET <= MAX_PORT) {
        try {
          bind(port + CLUSTER_BUS_OFFSET);
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
  }

  private static int bind(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
