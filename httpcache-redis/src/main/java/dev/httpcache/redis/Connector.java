package dev.httpcache.redis;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.Pool;

/**
 * Opens the Jedis client of a storage's settings: one pool of connections per server, a client that
 * routes each command (to the one server, the master Sentinel names, or the Cluster node of the
 * key's slot), and the list of primaries that a SCAN must visit.
 */
final class Connector {
  private final RedisStorage.Mode mode;
  private final List<InetSocketAddress> nodes;
  private final @Nullable String masterName;
  private final JedisClientConfig clientConfig;
  private final JedisClientConfig sentinelConfig;
  private final int maxConnections;
  private final Duration timeout;

  Connector(
      RedisStorage.Mode mode,
      List<InetSocketAddress> nodes,
      @Nullable String masterName,
      int database,
      @Nullable String user,
      @Nullable String password,
      boolean tls,
      @Nullable SSLContext sslContext,
      Duration timeout,
      int maxConnections) {
    this.mode = mode;
    this.nodes = List.copyOf(nodes);
    this.masterName = masterName;
    this.maxConnections = maxConnections;
    this.timeout = timeout;
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName("httpcache");
    DefaultJedisClientConfig.Builder sentinel =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis);
    if (mode != RedisStorage.Mode.CLUSTER) {
      config.database(database);
    }
    if (user != null) {
      config.user(user);
    }
    if (password != null) {
      config.password(password);
    }
    if (tls) {
      SSLParameters parameters = new SSLParameters();
      // Check that the certificate names the host connected to, as HTTPS does.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      config.ssl(true).sslParameters(parameters);
      sentinel.ssl(true).sslParameters(parameters);
      if (sslContext != null) {
        config.sslSocketFactory(sslContext.getSocketFactory());
        sentinel.sslSocketFactory(sslContext.getSocketFactory());
      }
    }
    this.clientConfig = config.build();
    this.sentinelConfig = sentinel.build();
  }

  /** A connected client and the provider of its connections. */
  record Client(UnifiedJedis jedis, ConnectionProvider provider) implements AutoCloseable {
    /** The pools of the primaries, which together hold every key: what SCAN visits. */
    @SuppressWarnings("unchecked")
    List<Pool<Connection>> primaries() {
      List<Pool<Connection>> pools = new ArrayList<>();
      for (Object pool : provider.getPrimaryNodesConnectionMap().values()) {
        pools.add((Pool<Connection>) pool);
      }
      return pools;
    }

    /**
     * Drops the idle connections of every pool: after a connection failure they most likely lead to
     * a server that went away, and each would fail once more before the pool renews it.
     */
    void dropIdleConnections() {
      Map<?, ?> pools = provider.getConnectionMap();
      for (Object pool : pools.values()) {
        if (pool instanceof Pool<?> p) {
          try {
            p.clear();
          } catch (RuntimeException e) {
            // best effort: a pool that cannot be cleared renews its connections as they fail
          }
        }
      }
    }

    @Override
    public void close() {
      jedis.close();
    }
  }

  /**
   * Opens the client. For a standalone server this does not touch the network; Sentinel and Cluster
   * ask their nodes for the topology at once, and throw when none answers.
   */
  Client open() {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMinIdle(0);
    pool.setMaxWait(timeout);
    pool.setBlockWhenExhausted(true);
    pool.setJmxEnabled(false);
    switch (mode) {
      case STANDALONE -> {
        HostAndPort server = hostAndPort(nodes.get(0));
        PooledConnectionProvider provider =
            new PooledConnectionProvider(server, clientConfig, pool);
        RedisClient client =
            RedisClient.builder()
                .hostAndPort(server)
                .clientConfig(clientConfig)
                .connectionProvider(provider)
                .build();
        return new Client(client, provider);
      }
      case SENTINEL -> {
        String master = Objects.requireNonNull(masterName, "masterName");
        Set<HostAndPort> sentinels = hostsAndPorts();
        SentineledConnectionProvider provider =
            new SentineledConnectionProvider(master, clientConfig, pool, sentinels, sentinelConfig);
        try {
          RedisSentinelClient client =
              RedisSentinelClient.builder()
                  .masterName(master)
                  .sentinels(sentinels)
                  .clientConfig(clientConfig)
                  .sentinelClientConfig(sentinelConfig)
                  .connectionProvider(provider)
                  .build();
          return new Client(client, provider);
        } catch (RuntimeException e) {
          provider.close();
          throw e;
        }
      }
      case CLUSTER -> {
        Set<HostAndPort> seeds = hostsAndPorts();
        ClusterConnectionProvider provider =
            new ClusterConnectionProvider(seeds, clientConfig, pool);
        try {
          RedisClusterClient client =
              RedisClusterClient.builder()
                  .nodes(seeds)
                  .clientConfig(clientConfig)
                  .connectionProvider(provider)
                  // Redirections and retries together stay within one timeout.
                  .maxAttempts(3)
                  .maxTotalRetriesDuration(timeout)
                  .build();
          return new Client(client, provider);
        } catch (RuntimeException e) {
          provider.close();
          throw e;
        }
      }
    }
    throw new AssertionError(mode);
  }

  private Set<HostAndPort> hostsAndPorts() {
    Set<HostAndPort> set = new LinkedHashSet<>();
    for (InetSocketAddress node : nodes) {
      set.add(hostAndPort(node));
    }
    return set;
  }

  private static HostAndPort hostAndPort(InetSocketAddress address) {
    return new HostAndPort(address.getHostString(), address.getPort());
  }
}
