package dev.httpcache.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A redis-server process that a test starts on a free loopback port, in a directory of its own,
 * with no persistence; stopped (SIGTERM) by {@link #close}, and by a shutdown hook should the test
 * JVM end first.
 */
final class RedisServer implements AutoCloseable {
  /** The shared server that .ci/run starts; tests only ever touch their own namespace on it. */
  static final int SHARED_PORT = 6379;

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy)));
  }

  private final Path dir;
  private final int port;
  private final List<String> extra;
  private final boolean sentinel;
  private final StringBuffer output = new StringBuffer();
  private Process process;

  private RedisServer(Path dir, int port, List<String> extra, boolean sentinel) throws IOException {
    this.dir = dir;
    this.port = port;
    this.extra = List.copyOf(extra);
    this.sentinel = sentinel;
    this.process = launch();
  }

  /**
   * Starts a server with {@code extra} arguments (each word its own element; {@code {port}} stands
   * for the port chosen) on a free port.
   */
  static RedisServer start(Path dir, String... extra) throws IOException {
    return start(dir, false, extra);
  }

  /** Starts a server; for a Cluster node, its bus port (the port + 10000) is free too. */
  static RedisServer start(Path dir, boolean cluster, String... extra) throws IOException {
    Files.createDirectories(dir);
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort(cluster);
      try {
        return new RedisServer(dir, port, List.of(extra), false);
      } catch (IOException e) {
        last = e; // the port was taken in between: try another
      }
    }
    throw last;
  }

  /**
   * Starts a Sentinel on a free port that watches the master on {@code masterPort} under the name
   * {@code masterName}, with more lines of configuration ({@code settings}).
   */
  static RedisServer startSentinel(Path dir, String masterName, int masterPort, String... settings)
      throws IOException {
    Files.createDirectories(dir);
    int port = freePort(false);
    Path config = dir.resolve("sentinel.conf");
    StringBuilder lines =
        new StringBuilder("sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1\n");
    for (String setting : settings) {
      lines.append(setting).append('\n');
    }
    Files.writeString(config, lines, StandardCharsets.UTF_8);
    return new RedisServer(dir, port, List.of(config.toString()), true);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  HostAndPort hostAndPort() {
    return new HostAndPort("127.0.0.1", port);
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** A plain client for inspecting the server directly. */
  Jedis client() {
    return new Jedis(hostAndPort());
  }

  /** Stops the server with SIGTERM and waits until it is gone. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    RUNNING.remove(process);
  }

  /** Starts the server again on the same port, empty. */
  void startAgain() throws IOException {
    process = launch();
  }

  /** Sends a signal (STOP, CONT) to the server process. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      // A stopped (SIGSTOP) process must continue to hear SIGTERM.
      try {
        signal("CONT");
      } catch (IOException e) {
        // gone already
      }
    }
    stop();
  }

  private Process launch() throws IOException {
    List<String> command = new ArrayList<>();
    if (sentinel) {
      // The configuration file comes first, and Sentinel keeps its state in it.
      Collections.addAll(
          command,
          "redis-server",
          extra.get(0),
          "--sentinel",
          "--port",
          String.valueOf(port),
          "--bind",
          "127.0.0.1",
          "--daemonize",
          "no",
          "--dir",
          dir.toString(),
          "--logfile",
          "");
      return start(command, "+monitor master");
    }
    Collections.addAll(
        command,
        "redis-server",
        "--port",
        String.valueOf(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--dir",
        dir.toString(),
        "--logfile",
        "");
    for (String argument : extra) {
      command.add(argument.replace("{port}", String.valueOf(port)));
    }
    return start(command, "Ready to accept connections");
  }

  /** Starts {@code command} and waits until it prints {@code readyLine}. */
  private Process start(List<String> command, String readyLine) throws IOException {
    Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
    RUNNING.add(started);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.append(line).append('\n');
                  if (line.contains(readyLine)) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              ready.completeExceptionally(new IOException("redis-server ended:\n" + output));
            },
            "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      started.destroyForcibly();
      RUNNING.remove(started);
      throw new IOException("redis-server on port " + port + " did not start:\n" + output, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return started;
  }

  private static int freePort(boolean cluster) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      if (!cluster) {
        return port;
      }
      if (port + 10000 <= 65535 && isFree(port + 10000)) {
        return port;
      }
    }
    throw new IOException("no free loopback port");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Fails clearly when no server answers on the shared port. */
  static void requireShared() {
    try (Jedis jedis = new Jedis("127.0.0.1", SHARED_PORT)) {
      jedis.ping();
    } catch (RuntimeException e) {
      throw new AssertionError(
          "no redis-server answers on 127.0.0.1:"
              + SHARED_PORT
              + "; start one (redis-server --port 6379 --save '' --appendonly no) or run .ci/run",
          e);
    }
  }

  @Override
  public String toString() {
    return "redis-server on 127.0.0.1:" + port;
  }
}
