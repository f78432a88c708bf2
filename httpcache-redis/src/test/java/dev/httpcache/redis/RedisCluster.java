package dev.httpcache.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of three masters and no replicas, as redis-server processes on free loopback
 * ports, made into a cluster with {@code redis-cli --cluster create}.
 */
final class RedisCluster implements AutoCloseable {
  private final List<RedisServer> masters = new ArrayList<>();

  private RedisCluster() {}

  static RedisCluster start(Path dir) throws Exception {
    RedisCluster cluster = new RedisCluster();
    try {
      for (int i = 0; i < 3; i++) {
        Path nodeDir = dir.resolve("node-" + i);
        cluster.masters.add(
            RedisServer.start(
                nodeDir,
                true,
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                nodeDir.resolve("nodes.conf").toString(),
                "--cluster-node-timeout",
                "5000"));
      }
      cluster.create();
      cluster.awaitOk();
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  private void create() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (RedisServer master : masters) {
      command.add("127.0.0.1:" + master.port());
    }
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
      throw new IOException("redis-cli --cluster create failed:\n" + output);
    }
  }

  /** Polls every node until it reports cluster_state:ok (the nodes agree), for at most 30 s. */
  private void awaitOk() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (RedisServer master : masters) {
      try (Jedis jedis = master.client()) {
        while (!jedis.clusterInfo().contains("cluster_state:ok")) {
          if (System.nanoTime() > deadline) {
            throw new IOException(master + " never reached cluster_state:ok");
          }
          Thread.sleep(50); // polling another process: there is nothing to wait on
        }
      }
    }
  }

  List<RedisServer> masters() {
    return masters;
  }

  List<InetSocketAddress> seeds() {
    List<InetSocketAddress> seeds = new ArrayList<>();
    for (RedisServer master : masters) {
      seeds.add(InetSocketAddress.createUnresolved("127.0.0.1", master.port()));
    }
    return seeds;
  }

  @Override
  public void close() throws InterruptedException {
    for (RedisServer master : masters) {
      master.close();
    }
  }
}
