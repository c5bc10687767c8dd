package io.switchboard.store.redis;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

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
 * A real Redis for tests: in Docker ({@value #IMAGE}, through Testcontainers) when a Docker engine answers, else
 * {@code redis-server} from the PATH; {@code -Dredis.fixture=local} or {@code =docker} chooses instead of that
 * automatic choice. Either way it listens on a free loopback port, keeps nothing on disk unless given persistence
 * options (e.g. {@code option("appendonly", "yes")}), can be killed and started again on the same port (finding its
 * data again when persistent) or frozen, and is stopped by {@link #close()}. In Docker, a Redis Cluster node runs on
 * the host's network (Linux engines), as its cluster bus must reach the other nodes at the address it announces.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.builder().build().start()) { … server.uri() … }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
  static final String IMAGE = "redis:7";
  /** Whether servers run in Docker, decided once per test JVM. */
  private static final boolean IN_DOCKER = inDocker(System.getProperty("redis.fixture", "auto"));
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
        return new RedisServer(List.copyOf(args), Files.createTempDirectory("redis-test-"), freePort(cluster), cluster);
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
  private final boolean clusterNode;
  private final Runner runner;

  private RedisServer(List<String> options, Path directory, int port, boolean clusterNode) {
    this.options = options;
    this.directory = directory;
    this.port = port;
    this.clusterNode = clusterNode;
    this.runner = IN_DOCKER ? new InDocker() : new Local();
    // a test JVM that ends without closing it (a crash, a timeout) leaves no server behind
    Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
  }

  /** {@code auto}: Docker if an engine answers (looked for only where one could be, to keep the logs quiet). */
  private static boolean inDocker(String choice) {
    boolean docker = switch (choice) {
      case "local" -> false;
      case "docker" -> true;
      case "auto" -> dockerEndpointExists() && DockerClientFactory.instance().isDockerAvailable();
      default -> throw new IllegalArgumentException("-Dredis.fixture is auto, docker or local, not " + choice);
    };
    LOG.info("Redis test servers run {}", docker ? "in Docker (" + IMAGE + ")" : "as local redis-server processes");
    return docker;
  }

  private static boolean dockerEndpointExists() {
    Path home = Path.of(System.getProperty("user.home"));
    return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(home.resolve(".docker/run/docker.sock")) || Files.exists(home.resolve(".testcontainers.properties"));
  }

  /** How a server runs: a process of this machine, or a container. */
  private interface Runner {
    /** Starts the server, or starts it again after {@link #kill}. */
    void start() throws IOException;

    boolean alive();

    /** Kills the server at once; {@link #start} may follow. */
    void kill();

    void freeze();

    void thaw();

    /** Removes what {@link #kill} left (a container). */
    void remove();

    String log();
  }

  /** The redis-server options of this server, whichever way it runs, with its data in {@code dir}. */
  private List<String> command(String bind, String dir) {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", bind,
        "--save", "", "--appendonly", "no", "--dir", dir));
    command.addAll(options);
    return command;
  }

  private final class Local implements Runner {
    private Process process;

    @Override
    public void start() throws IOException {
      try {
        process = new ProcessBuilder(command(HOST, directory.toString())).directory(directory.toFile())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
      } catch (IOException e) {
        throw new IOException("cannot run redis-server: it must be on the PATH (or a Docker engine running)", e);
      }
    }

    @Override
    public boolean alive() {
      return process != null && process.isAlive();
    }

    @Override
    public void kill() {
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

    @Override
    public void freeze() {
      Signal.STOP.send(process.pid());
    }

    @Override
    public void thaw() {
      Signal.CONT.send(process.pid());
    }

    @Override
    public void remove() {
      // nothing beyond the directory
    }

    @Override
    public String log() {
      try {
        return Files.readString(logFile());
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    private Path logFile() {
      return directory.resolve("redis.log");
    }
  }

  /**
   * A container of {@value #IMAGE} listening on the same port number inside as on the host's loopback, so that
   * {@link #address()} is the same as for a local server; killed and started again, it is the same container, with
   * its data and its port.
   */
  private final class InDocker implements Runner {
    private GenericContainer<?> container;

    @Override
    public void start() {
      if (container != null) {
        docker().startContainerCmd(container.getContainerId()).exec();
        return;
      }
      ExposedPort exposed = ExposedPort.tcp(port);
      container = new GenericContainer<>(DockerImageName.parse(IMAGE))
          .withCommand(command(clusterNode ? HOST : "0.0.0.0", "/data").toArray(String[]::new))
          .withCreateContainerCmdModifier(create -> {
            if (clusterNode) {
              create.getHostConfig().withNetworkMode("host");
            } else {
              create.withExposedPorts(exposed).getHostConfig()
                  .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(HOST, port), exposed));
            }
          });
      container.start();
    }

    @Override
    public boolean alive() {
      return container != null && Boolean.TRUE.equals(
          docker().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning());
    }

    @Override
    public void kill() {
      if (alive()) {
        docker().killContainerCmd(container.getContainerId()).exec();
      }
    }

    @Override
    public void freeze() {
      docker().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void thaw() {
      docker().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void remove() {
      if (container != null) {
        container.stop();
        container = null;
      }
    }

    @Override
    public String log() {
      return container == null ? "(no container)" : container.getLogs();
    }

    private DockerClient docker() {
      return DockerClientFactory.instance().client();
    }
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
    try {
      runner.start();
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
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
      if (!runner.alive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server on port " + port + " did not start; its log:\n" + runner.log());
      }
      pause(POLL_INTERVAL);
    }
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    runner.kill();
  }

  /** Freezes the server (SIGSTOP, or a paused container): connections stay open and nothing answers. */
  public synchronized void freeze() {
    runner.freeze();
  }

  public synchronized void thaw() {
    runner.thaw();
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
    runner.remove();
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
