package io.switchboard.node;

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
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A TCP proxy between a node and a real {@code redis-server} that reads every command the node sends, for tests that
 * count what an operation costs Redis: commands by name (a script by its name), and round trips.
 *
 * <p>It passes commands straight through until {@link #lockStep()}. From then on it holds the commands that arrive,
 * from every connection, and forwards them together once none has arrived for {@link #QUIET}: one exchange. Commands
 * the node sends side by side, before waiting for an answer, go in the same exchange; a command that needed an answer
 * first arrives after that answer, so it goes in a later one. The exchanges are the node's round trips to Redis, one
 * after the other, each costing the latency of the network once — provided the node sends side-by-side commands
 * within {@link #QUIET} of each other, which it does by far on an idle machine.
 */
final class RedisTrafficProxy implements AutoCloseable {

  /** How long without a new command closes an exchange. */
  static final Duration QUIET = Duration.ofMillis(150);
  /** How long the node must send nothing for {@link #settle()} to take it for done. */
  private static final Duration SETTLED = QUIET.multipliedBy(3);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);
  private static final String HOST = "127.0.0.1";
  private static final String SCRIPTS = "io/switchboard/store/redis/";

  /** What the proxy has forwarded so far: exchanges (in lock step), commands by name, connections accepted. */
  record Traffic(int exchanges, Map<String, Integer> commands, int connections) {
    Traffic minus(Traffic before) {
      Map<String, Integer> delta = new TreeMap<>();
      commands.forEach((name, count) -> {
        int more = count - before.commands.getOrDefault(name, 0);
        if (more != 0) {
          delta.put(name, more);
        }
      });
      return new Traffic(exchanges - before.exchanges, delta, connections - before.connections);
    }

    int commandCount() {
      return commands.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Calls of scripts, by {@code EVALSHA} or {@code EVAL}. */
    int scriptCalls() {
      return commands.entrySet().stream().filter(entry -> entry.getKey().startsWith("EVAL"))
          .mapToInt(Map.Entry::getValue).sum();
    }
  }

  /** A command waiting for its exchange: its bytes and where they go. */
  private record Held(OutputStream toRedis, byte[] bytes, String name) {
  }

  private final int redisPort;
  private final ServerSocket server;
  private final Map<String, String> scriptNames = scriptNamesBySha();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** Guards everything below; commands are written to Redis under it, so they keep their order. */
  private final Object lock = new Object();
  private final List<Held> held = new ArrayList<>();
  private final Map<String, Integer> commands = new TreeMap<>();
  private boolean lockStep;
  private long lastArrival = System.nanoTime();
  private long lastExchange = System.nanoTime();
  private int exchanges;
  private int connections;
  private volatile boolean closed;

  private RedisTrafficProxy(int redisPort) throws IOException {
    this.redisPort = redisPort;
    this.server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
  }

  /** A proxy to the Redis on {@code redisPort} of loopback, passing everything through until {@link #lockStep()}. */
  static RedisTrafficProxy start(int redisPort) {
    try {
      RedisTrafficProxy proxy = new RedisTrafficProxy(redisPort);
      daemon("redis-proxy-accept", proxy::accept);
      daemon("redis-proxy-exchange", proxy::exchange);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String uri() {
    return "redis://" + HOST + ":" + server.getLocalPort();
  }

  /** From now on, commands go to Redis in exchanges, counted. */
  void lockStep() {
    synchronized (lock) {
      lockStep = true;
    }
  }

  Traffic traffic() {
    synchronized (lock) {
      return new Traffic(exchanges, new TreeMap<>(commands), connections);
    }
  }

  /** Waits until nothing is held and the node has sent nothing for a while: what it does next is not this step's. */
  void settle() {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    synchronized (lock) {
      while (true) {
        long now = System.nanoTime();
        long idleFor = now - Math.max(lastArrival, lastExchange);
        if (held.isEmpty() && idleFor >= SETTLED.toNanos()) {
          return;
        }
        if (now - deadline > 0) {
          throw new IllegalStateException("the node kept talking to Redis for " + SETTLE_TIMEOUT + ": " + held.size()
              + " commands held");
        }
        waitOnLock(Math.max(1_000_000, held.isEmpty() ? SETTLED.toNanos() - idleFor : QUIET.toNanos()));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    closeQuietly(server);
    sockets.forEach(RedisTrafficProxy::closeQuietly);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket redis = new Socket();
        redis.connect(new InetSocketAddress(HOST, redisPort));
        client.setTcpNoDelay(true);
        redis.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(redis);
        synchronized (lock) {
          connections++;
        }
        daemon("redis-proxy-commands", () -> commands(client, redis));
        daemon("redis-proxy-replies", () -> replies(redis, client));
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException("the Redis proxy stopped accepting", e);
        }
      }
    }
  }

  /** Reads the node's commands and forwards them: at once, or in lock step with the next exchange. */
  private void commands(Socket client, Socket redis) {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream toRedis = redis.getOutputStream();
      while (true) {
        List<String> head = new ArrayList<>(2);
        byte[] command = readCommand(in, head);
        if (command == null) {
          break;
        }
        String name = name(head);
        synchronized (lock) {
          lastArrival = System.nanoTime();
          if (lockStep) {
            held.add(new Held(toRedis, command, name));
            lock.notifyAll();
          } else {
            commands.merge(name, 1, Integer::sum);
            toRedis.write(command);
            toRedis.flush();
          }
        }
      }
    } catch (IOException gone) {
      // the node or Redis closed the connection
    } finally {
      closeQuietly(client);
      closeQuietly(redis);
    }
  }

  /** Sends what is held once no command has arrived for {@link #QUIET}: one exchange. */
  private void exchange() {
    synchronized (lock) {
      while (!closed) {
        long quietFor = System.nanoTime() - lastArrival;
        if (held.isEmpty()) {
          waitOnLock(0);
        } else if (quietFor < QUIET.toNanos()) {
          waitOnLock(QUIET.toNanos() - quietFor);
        } else {
          exchanges++;
          lastExchange = System.nanoTime();
          for (Held command : held) {
            commands.merge(command.name(), 1, Integer::sum);
            try {
              command.toRedis().write(command.bytes());
              command.toRedis().flush();
            } catch (IOException gone) {
              // that connection closed; its node will see it
            }
          }
          held.clear();
          lock.notifyAll();
        }
      }
    }
  }

  private static void replies(Socket redis, Socket client) {
    try {
      redis.getInputStream().transferTo(client.getOutputStream());
    } catch (IOException gone) {
      // either side closed
    } finally {
      closeQuietly(client);
      closeQuietly(redis);
    }
  }

  /** A command's name; a script's by the name of its file. */
  private String name(List<String> head) {
    String command = head.get(0).toUpperCase(Locale.ROOT);
    return switch (command) {
      case "EVALSHA" -> command + " " + scriptNames.getOrDefault(head.get(1), head.get(1));
      case "EVAL" -> command + " " + scriptNames.getOrDefault(sha1(head.get(1)), "?");
      case "SCRIPT" -> command + " " + head.get(1).toUpperCase(Locale.ROOT);
      default -> command;
    };
  }

  /** One RESP array of bulk strings, as the client sends every command, with its first two arguments in {@code head}. */
  private static byte[] readCommand(InputStream in, List<String> head) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    String count = readLine(in, raw);
    if (count == null) {
      return null;
    }
    if (!count.startsWith("*")) {
      throw new IOException("not a RESP array: " + count);
    }
    int arguments = Integer.parseInt(count.substring(1));
    for (int i = 0; i < arguments; i++) {
      String length = readLine(in, raw);
      if (length == null || !length.startsWith("$")) {
        throw new IOException("not a bulk string: " + length);
      }
      byte[] argument = in.readNBytes(Integer.parseInt(length.substring(1)) + 2);
      raw.write(argument);
      if (i < 2) {
        head.add(new String(argument, 0, argument.length - 2, StandardCharsets.UTF_8));
      }
    }
    return raw.toByteArray();
  }

  private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int next = in.read(); next != -1; next = in.read()) {
      raw.write(next);
      if (previous == '\r' && next == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
      }
      line.write(next);
      previous = next;
    }
    if (line.size() > 0) {
      throw new IOException("connection closed inside a command");
    }
    return null;
  }

  /**
   * {@code INFO commandstats} of the Redis on {@code port}, on a connection of its own: calls and µs by command,
   * counting the commands scripts run too (and this INFO's own predecessors).
   */
  static Map<String, long[]> commandStats(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port));
      socket.setSoTimeout((int) SETTLE_TIMEOUT.toMillis());
      socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String header = readLine(in, new ByteArrayOutputStream());
      if (header == null || !header.startsWith("$")) {
        throw new IOException("unexpected reply to INFO: " + header);
      }
      String text = new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
      Map<String, long[]> stats = new TreeMap<>();
      for (String line : text.split("\r\n")) {
        if (line.startsWith("cmdstat_")) {
          String name = line.substring("cmdstat_".length(), line.indexOf(':'));
          Map<String, String> fields = new HashMap<>();
          for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
            String[] pair = field.split("=", 2);
            fields.put(pair[0], pair[1]);
          }
          stats.put(name, new long[] {Long.parseLong(fields.get("calls")), Long.parseLong(fields.get("usec"))});
        }
      }
      return stats;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The store's scripts by the SHA1 Redis knows them by: {@code lib.lua}, a newline, then the script's own file. */
  private static Map<String, String> scriptNamesBySha() {
    try {
      String lib = resource(SCRIPTS + "lib.lua");
      Map<String, String> names = new HashMap<>();
      for (String file : scriptFiles()) {
        String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".lua".length());
        names.put(sha1(lib + "\n" + resource(file)), name);
      }
      return names;
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot read the store's scripts", e);
    }
  }

  /** The .lua resources beside lib.lua, in the store's classes directory or jar. */
  private static List<String> scriptFiles() throws IOException, URISyntaxException {
    Path location = Path.of(io.switchboard.store.redis.RedisStores.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.list(location.resolve(SCRIPTS))) {
        return files.map(file -> SCRIPTS + file.getFileName()).filter(RedisTrafficProxy::isScript).toList();
      }
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      return jar.stream().map(entry -> entry.getName())
          .filter(name -> name.startsWith(SCRIPTS) && name.indexOf('/', SCRIPTS.length()) < 0)
          .filter(RedisTrafficProxy::isScript).toList();
    }
  }

  private static boolean isScript(String file) {
    return file.endsWith(".lua") && !file.endsWith("/lib.lua");
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = RedisTrafficProxy.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("no resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void waitOnLock(long nanos) {
    try {
      if (nanos <= 0) {
        lock.wait();
      } else {
        lock.wait(Math.max(1, nanos / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
