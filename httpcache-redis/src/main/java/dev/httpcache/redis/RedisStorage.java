package dev.httpcache.redis;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.Pool;

/**
 * A {@link Storage} in Redis, so that many processes on many machines share one cache: a single
 * server, a master found through Sentinel, or a Redis Cluster.
 *
 * <pre>{@code
 * Storage redis = RedisStorage.fromUrl("redis://cache.internal:6379/0?namespace=api");
 * Storage tuned = RedisStorage.builder()
 *     .url("rediss://httpcache:secret@cache.internal:6380/0")
 *     .namespace("api")
 *     .timeout(Duration.ofMillis(200))
 *     .ttlOffset(Duration.ofHours(6))
 *     .build();
 * HttpCache cache = HttpCache.builder().storage(redis).build();
 * }</pre>
 *
 * <p><b>Layout.</b> Every key of a storage starts with its namespace, so that many caches share one
 * Redis: a response under cache key {@code k} is the string {@code <namespace>:r:<k>}, and the
 * redirect aliases are the fields of one hash, {@code <namespace>:redirects}. Each value starts
 * with a 16-byte header holding its expiry time.
 *
 * <p><b>Expiry.</b> A response that expires at {@code t} gets a Redis time-to-live of {@code (t -
 * now) + ttlOffset}, so that it stays usable for revalidation and stale-if-error for {@code
 * ttlOffset} after it went stale; one already stale when written gets {@code ttlOffset} alone; one
 * that never expires gets none. Redis removes an entry when its time-to-live is over, or earlier
 * when a {@code maxmemory} policy evicts it: either way the next request for it is a miss. Aliases
 * (hash fields) get no time-to-live; {@link #removeExpired} removes expired ones.
 *
 * <p><b>Faults.</b> Each command waits at most the {@linkplain Builder#timeout timeout}; every
 * failure is an {@link IOException}, on which the cache goes to the network. After a failure to
 * reach Redis, calls fail at once for the {@linkplain Builder#backoff back-off}; then one call
 * tries Redis again, and when it answers, caching resumes.
 *
 * <p><b>Maintenance.</b> {@link #scan}, {@link #count}, {@link #keys}, {@link #bytes}, {@link
 * #removeExpired} and {@link #clear} walk the namespace with {@code SCAN} (on every master of a
 * Cluster) and {@code HSCAN}, never {@code KEYS}, and touch no other namespace; they cost a pass
 * over the namespace's keys. This storage does not track use ({@link #evicts()} is false): bound it
 * with Redis's own {@code maxmemory} and an LRU policy.
 *
 * <p>Thread-safe: commands run on pooled connections. No password appears in {@link #toString()},
 * in a log record or in an exception message.
 */
public final class RedisStorage implements Storage {
  private static final System.Logger LOG = System.getLogger(RedisStorage.class.getName());

  /** The default namespace: {@value}. */
  public static final String DEFAULT_NAMESPACE = "http_cache";

  /** The default longest wait for one Redis command or connection: 500 milliseconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

  /**
   * The default time an entry stays in Redis after it went stale, for revalidation and
   * stale-if-error: one hour.
   */
  public static final Duration DEFAULT_TTL_OFFSET = Duration.ofHours(1);

  /** The default time Redis is skipped after a failure to reach it: one second. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

  /** The default most connections per Redis server: {@value}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 16;

  /** How many keys one SCAN asks for. */
  static final int PAGE = 1000;

  private static final byte[] REMOVE_IF_HEADER =
      ("if redis.call('GETRANGE', KEYS[1], 0, "
              + (Layout.HEADER_LENGTH - 1)
              + ") == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end return 0")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HDEL_IF_VALUE =
      ("if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then"
              + " return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0")
          .getBytes(StandardCharsets.US_ASCII);

  /** How the storage finds its servers. */
  enum Mode {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  private final Builder settings;
  private final Layout layout;
  private final Connector connector;
  private final Breaker breaker;
  private final Duration ttlOffset;
  private final InstantSource clock;
  private final String endpoint;
  private final Object opening = new Object();
  private volatile Connector.@Nullable Client client;
  private volatile boolean closed;

  private RedisStorage(Builder settings) {
    this.settings = settings;
    this.layout = new Layout(settings.namespace);
    this.ttlOffset = settings.ttlOffset;
    this.clock = settings.clock;
    this.endpoint = settings.endpoint();
    this.connector =
        new Connector(
            settings.mode,
            settings.nodes,
            settings.masterName,
            settings.database,
            settings.user,
            settings.password,
            settings.tls,
            settings.sslContext,
            settings.timeout,
            settings.maxConnections);
    this.breaker = new Breaker(settings.backoff, clock, endpoint);
  }

  /**
   * Returns a builder with the defaults: {@code redis://127.0.0.1:6379/0}, namespace {@value
   * #DEFAULT_NAMESPACE}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a storage for a Redis URL, with the defaults for everything the URL leaves out:
   *
   * <pre>
   * redis://[user[:password]@]host[:port][/db][?parameters]       one server (port 6379, db 0)
   * rediss://...                                                   the same over TLS
   * redis+sentinel://[user[:password]@]host[:port][,host[:port]...]/master[/db][?parameters]
   * redis+cluster://[user[:password]@]host[:port][,host[:port]...][?parameters]
   * </pre>
   *
   * ({@code rediss+sentinel://} and {@code rediss+cluster://} over TLS). Percent-encode the user
   * and password where they hold reserved characters. Parameters: {@code namespace}, and the
   * durations {@code timeout}, {@code ttlOffset} and {@code backoff} written as a whole number and
   * a unit: {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code
   * redis://cache:6379/2?namespace=api&timeout=200ms&ttlOffset=6h}).
   *
   * <p>Nothing is sent to Redis yet: the connection opens with the first command, so a cache can be
   * built while Redis is down.
   *
   * @throws IllegalArgumentException when the URL is not of that form (the message never holds the
   *     password)
   */
  public static RedisStorage fromUrl(String url) {
    return builder().url(url).build();
  }

  /** Returns a builder holding the settings of this storage, to derive another storage. */
  public Builder toBuilder() {
    return settings.copy();
  }

  // ---------------------------------------------------------------------------------------------
  // Storage

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    Objects.requireNonNull(key, "key");
    byte[] stored =
        namespace == Namespace.RESPONSES
            ? call("GET", c -> c.jedis().get(layout.responseKey(key)))
            : call("HGET", c -> c.jedis().hget(layout.redirectsKey(), Layout.field(key)));
    if (stored == null) {
      return Optional.empty();
    }
    if (!Layout.isEntry(stored)) {
      LOG.log(Level.DEBUG, "Redis value of {0} is not an httpcache entry; a miss", key);
      return Optional.empty();
    }
    return Optional.of(Layout.unwrap(stored));
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    Objects.requireNonNull(key, "key");
    byte[] stored = Layout.wrap(value, expires);
    if (namespace == Namespace.REDIRECTS) {
      execute("HSET", c -> c.jedis().hset(layout.redirectsKey(), Layout.field(key), stored));
      return;
    }
    byte[] redisKey = layout.responseKey(key);
    SetParams params = setParams(expires, clock.instant());
    execute("SET", c -> c.jedis().set(redisKey, stored, params));
  }

  /**
   * The options of the SET of a value expiring at {@code expires}: its time-to-live, or none when
   * it gets none (a SET without an expiry also drops the time-to-live of the value it replaces).
   */
  private SetParams setParams(@Nullable Instant expires, Instant now) {
    Duration ttl = Layout.ttl(expires, now, ttlOffset);
    return ttl == null ? SetParams.setParams() : SetParams.setParams().px(ttl.toMillis());
  }

  /**
   * {@inheritDoc}
   *
   * <p>In one pipeline: the commands of every entry go out together and their answers are read
   * once, so a batch costs about one round trip instead of one per entry (on a cluster, one per
   * node that the keys fall on).
   */
  @Override
  public void putAll(Namespace namespace, List<Entry> entries) throws IOException {
    if (entries.size() <= 1) {
      for (Entry entry : entries) {
        put(namespace, entry.key(), entry.value(), entry.expires());
      }
      return;
    }
    Instant now = clock.instant();
    execute(
        namespace == Namespace.REDIRECTS ? "HSET" : "SET",
        c -> {
          try (AbstractPipeline pipeline = c.jedis().pipelined()) {
            for (Entry entry : entries) {
              Objects.requireNonNull(entry.key(), "key");
              byte[] stored = Layout.wrap(entry.value(), entry.expires());
              if (namespace == Namespace.REDIRECTS) {
                pipeline.hset(layout.redirectsKey(), Layout.field(entry.key()), stored);
                continue;
              }
              pipeline.set(
                  layout.responseKey(entry.key()), stored, setParams(entry.expires(), now));
            }
            pipeline.sync();
          }
        });
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    Objects.requireNonNull(key, "key");
    long removed =
        namespace == Namespace.RESPONSES
            ? call("UNLINK", c -> c.jedis().unlink(layout.responseKey(key)))
            : call("HDEL", c -> c.jedis().hdel(layout.redirectsKey(), Layout.field(key)));
    return removed > 0;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each key once, even where SCAN returned it twice (as it may while Redis resizes its table).
   */
  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    if (namespace == Namespace.RESPONSES) {
      scanKeys(
          "SCAN",
          (connection, page) -> {
            for (byte[] redisKey : page) {
              keys.add(layout.cacheKey(redisKey));
            }
          });
    } else {
      scanAliases("HSCAN", page -> page.forEach(e -> keys.add(Layout.fieldName(e.getKey()))));
    }
    return new ArrayList<>(keys);
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    if (namespace == Namespace.REDIRECTS) {
      return call("HLEN", c -> c.jedis().hlen(layout.redirectsKey()));
    }
    long[] count = {0};
    scanKeys("SCAN", (connection, page) -> count[0] += page.size());
    return count[0];
  }

  @Override
  public Cursor scan(Namespace namespace) throws IOException {
    checkOpen();
    return namespace == Namespace.RESPONSES ? new ResponseCursor() : new AliasCursor();
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) throws IOException {
    Objects.requireNonNull(now, "now");
    long[] removed = {0};
    if (namespace == Namespace.RESPONSES) {
      scanKeys(
          "SCAN",
          (connection, page) -> {
            List<byte[]> headers = headers(connection, page);
            List<Response<Object>> answers = new ArrayList<>();
            try (Pipeline pipeline = new Pipeline(connection)) {
              for (int i = 0; i < page.size(); i++) {
                byte[] header = headers.get(i);
                if (Layout.isEntry(header) && expiredAt(Layout.expires(header), now)) {
                  // Removed only while it still holds this header: a newer write survives.
                  answers.add(pipeline.eval(REMOVE_IF_HEADER, 1, page.get(i), header));
                }
              }
              pipeline.sync();
            }
            for (Response<Object> answer : answers) {
              removed[0] += ((Number) answer.get()).longValue();
            }
          });
    } else {
      byte[] hash = layout.redirectsKey();
      scanAliases(
          "HSCAN",
          page -> {
            for (Map.Entry<byte[], byte[]> alias : page) {
              byte[] stored = alias.getValue();
              if (Layout.isEntry(stored) && expiredAt(Layout.expires(stored), now)) {
                Object answer =
                    call(
                        "EVAL",
                        c -> c.jedis().eval(HDEL_IF_VALUE, 1, hash, alias.getKey(), stored));
                removed[0] += ((Number) answer).longValue();
              }
            }
          });
    }
    return removed[0];
  }

  private static boolean expiredAt(@Nullable Instant expires, Instant now) {
    return expires != null && !expires.isAfter(now);
  }

  /**
   * Removes every key of this namespace (with {@code SCAN} and {@code UNLINK}), and nothing else:
   * never {@code FLUSHDB}.
   */
  @Override
  public void clear() throws IOException {
    scanKeys(
        "SCAN",
        (connection, page) -> {
          try (Pipeline pipeline = new Pipeline(connection)) {
            for (byte[] redisKey : page) {
              pipeline.unlink(redisKey); // one key each: a Cluster refuses keys of several slots
            }
            pipeline.sync();
          }
        });
    execute("UNLINK", c -> c.jedis().unlink(layout.redirectsKey()));
  }

  /** Closes the connections; later calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    closed = true;
    synchronized (opening) {
      Connector.Client open = client;
      client = null;
      if (open != null) {
        open.close();
      }
    }
  }

  /**
   * Describes the storage: its servers (user name included, password never), database and
   * namespace.
   */
  @Override
  public String toString() {
    return "RedisStorage["
        + endpoint
        + ", namespace="
        + layout.namespace()
        + (breaker.isOpen() ? ", unreachable" : "")
        + (closed ? ", closed" : "")
        + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Calls, faults and the breaker

  /** A command against the client. */
  @FunctionalInterface
  private interface Command<T> {
    T run(Connector.Client client);
  }

  /** Commands against the client that return nothing. */
  @FunctionalInterface
  private interface Action {
    void run(Connector.Client client);
  }

  /** What a pass over the keys of the namespace does with each page, on that page's connection. */
  @FunctionalInterface
  private interface KeyPage {
    void accept(Connection connection, List<byte[]> keys);
  }

  /** What a pass over the aliases does with each page. */
  @FunctionalInterface
  private interface AliasPage {
    void accept(List<Map.Entry<byte[], byte[]>> aliases) throws IOException;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the Redis storage " + endpoint + " is closed");
    }
  }

  private Connector.Client client() {
    Connector.Client open = client;
    if (open != null) {
      return open;
    }
    synchronized (opening) {
      checkOpen();
      open = client;
      if (open == null) {
        open = connector.open();
        client = open;
      }
      return open;
    }
  }

  /**
   * Runs {@code command} through the breaker, turning every failure into an {@link IOException}.
   */
  private <T> T call(String what, Command<T> command) throws IOException {
    checkOpen();
    boolean probe = breaker.admit();
    try {
      T result = command.run(client());
      breaker.reachable();
      return result;
    } catch (IllegalStateException e) {
      if (closed) {
        throw new IllegalStateException("the Redis storage " + endpoint + " is closed", e);
      }
      throw fault(what, e);
    } catch (RuntimeException e) {
      throw fault(what, e);
    } catch (Error e) {
      if (probe) {
        breaker.endProbe();
      }
      throw e;
    }
  }

  private void execute(String what, Action action) throws IOException {
    call(
        what,
        c -> {
          action.run(c);
          return Boolean.TRUE;
        });
  }

  private IOException fault(String what, RuntimeException e) {
    String why = describe(e);
    if (unreachable(e)) {
      breaker.unreachable(why);
      Connector.Client open = client;
      if (open != null) {
        open.dropIdleConnections();
      }
    } else {
      breaker.reachable(); // Redis answered, with an error
    }
    return new IOException("Redis " + what + " failed at " + endpoint + ": " + why, e);
  }

  /** Whether {@code e} says that Redis could not be reached (rather than that it refused). */
  static boolean unreachable(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof JedisConnectionException || t instanceof java.net.SocketException) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (suppressed instanceof JedisConnectionException) {
          return true; // Cluster: "no more attempts", after connection failures
        }
      }
    }
    String message = String.valueOf(e.getMessage());
    return message.contains("Cluster retry deadline exceeded")
        || message.contains("No more cluster attempts left")
        || message.contains("Could not initialize cluster slots cache");
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    if (cause != null && cause != e && cause.getMessage() != null) {
      text.append(" (").append(cause.getMessage()).append(')');
    }
    return text.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Passes over the namespace

  private ScanParams keyParams() {
    return new ScanParams().match(layout.responsePattern()).count(PAGE);
  }

  /** Runs SCAN over every primary, handing each page of keys to {@code action}. */
  private void scanKeys(String what, KeyPage action) throws IOException {
    execute(
        what,
        c -> {
          for (Pool<Connection> pool : c.primaries()) {
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            do {
              try (Connection connection = pool.getResource()) {
                ScanResult<byte[]> result = scanPage(connection, cursor);
                action.accept(connection, result.getResult());
                cursor = result.getCursorAsBytes();
              }
            } while (!isStart(cursor));
          }
        });
  }

  private ScanResult<byte[]> scanPage(Connection connection, byte[] cursor) {
    try (Pipeline pipeline = new Pipeline(connection)) {
      Response<ScanResult<byte[]>> page = pipeline.scan(cursor, keyParams());
      pipeline.sync();
      return page.get();
    }
  }

  /** Runs HSCAN over the alias hash, handing each page to {@code action}. */
  private void scanAliases(String what, AliasPage action) throws IOException {
    byte[] hash = layout.redirectsKey();
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    do {
      byte[] at = cursor;
      ScanResult<Map.Entry<byte[], byte[]>> page =
          call(what, c -> c.jedis().hscan(hash, at, new ScanParams().count(PAGE)));
      action.accept(page.getResult());
      cursor = page.getCursorAsBytes();
    } while (!isStart(cursor));
  }

  private static boolean isStart(byte[] cursor) {
    return Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY);
  }

  /** Reads the headers of {@code keys} in one round trip; an empty array for a key now gone. */
  private static List<byte[]> headers(Connection connection, List<byte[]> keys) {
    List<Response<byte[]>> answers = new ArrayList<>(keys.size());
    try (Pipeline pipeline = new Pipeline(connection)) {
      for (byte[] key : keys) {
        answers.add(pipeline.getrange(key, 0, Layout.HEADER_LENGTH - 1));
      }
      pipeline.sync();
    }
    List<byte[]> headers = new ArrayList<>(keys.size());
    for (Response<byte[]> answer : answers) {
      byte[] header = answer.get();
      headers.add(header == null ? new byte[0] : header);
    }
    return headers;
  }

  /** A pass over the responses: a page of SCAN at a time, on each primary in turn. */
  private final class ResponseCursor implements Cursor {
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private @Nullable List<Pool<Connection>> nodes;
    private int node;
    private byte[] position = ScanParams.SCAN_POINTER_START_BINARY;

    @Override
    public Optional<Item> next() throws IOException {
      while (items.isEmpty()) {
        List<Pool<Connection>> primaries = nodes;
        if (primaries != null && node >= primaries.size()) {
          return Optional.empty();
        }
        execute("SCAN", this::fetch);
      }
      return Optional.of(items.remove());
    }

    private void fetch(Connector.Client c) {
      List<Pool<Connection>> primaries = nodes;
      if (primaries == null) {
        primaries = c.primaries();
        nodes = primaries;
      }
      if (node >= primaries.size()) {
        return;
      }
      try (Connection connection = primaries.get(node).getResource()) {
        ScanResult<byte[]> page = scanPage(connection, position);
        List<byte[]> keys = page.getResult();
        List<Response<byte[]>> headers = new ArrayList<>(keys.size());
        List<Response<Long>> lengths = new ArrayList<>(keys.size());
        try (Pipeline pipeline = new Pipeline(connection)) {
          for (byte[] key : keys) {
            headers.add(pipeline.getrange(key, 0, Layout.HEADER_LENGTH - 1));
            lengths.add(pipeline.strlen(key));
          }
          pipeline.sync();
        }
        for (int i = 0; i < keys.size(); i++) {
          byte[] header = headers.get(i).get();
          long length = lengths.get(i).get();
          if (header == null || header.length == 0) {
            continue; // removed or expired since SCAN listed it
          }
          String key = layout.cacheKey(keys.get(i));
          items.add(
              Layout.isEntry(header)
                  ? new Item(
                      key, Math.max(0, length - Layout.HEADER_LENGTH), Layout.expires(header))
                  : new Item(key, length, null));
        }
        position = page.getCursorAsBytes();
        if (isStart(position)) {
          node++;
        }
      }
    }

    @Override
    public void close() {
      items.clear();
    }
  }

  /** A pass over the aliases: a page of HSCAN at a time. */
  private final class AliasCursor implements Cursor {
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private byte[] position = ScanParams.SCAN_POINTER_START_BINARY;
    private boolean done;

    @Override
    public Optional<Item> next() throws IOException {
      while (items.isEmpty()) {
        if (done) {
          return Optional.empty();
        }
        byte[] at = position;
        ScanResult<Map.Entry<byte[], byte[]>> page =
            call(
                "HSCAN",
                c -> c.jedis().hscan(layout.redirectsKey(), at, new ScanParams().count(PAGE)));
        for (Map.Entry<byte[], byte[]> alias : page.getResult()) {
          byte[] stored = alias.getValue();
          String key = Layout.fieldName(alias.getKey());
          items.add(
              Layout.isEntry(stored)
                  ? new Item(key, stored.length - Layout.HEADER_LENGTH, Layout.expires(stored))
                  : new Item(key, stored.length, null));
        }
        position = page.getCursorAsBytes();
        done = isStart(position);
      }
      return Optional.of(items.remove());
    }

    @Override
    public void close() {
      items.clear();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Builder

  /**
   * Settings of a {@link RedisStorage}. Methods are named for the property; {@link #build()} checks
   * them. Later calls override earlier ones, {@link #url} included. Not thread-safe.
   */
  public static final class Builder {
    private Mode mode = Mode.STANDALONE;
    private List<InetSocketAddress> nodes =
        List.of(InetSocketAddress.createUnresolved("127.0.0.1", RedisUrl.DEFAULT_PORT));
    private @Nullable String masterName;
    private int database;
    private @Nullable String user;
    private @Nullable String password;
    private boolean tls;
    private @Nullable SSLContext sslContext;
    private String namespace = DEFAULT_NAMESPACE;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration ttlOffset = DEFAULT_TTL_OFFSET;
    private Duration backoff = DEFAULT_BACKOFF;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * Takes the servers, TLS, credentials, database and any parameters from a URL; see {@link
     * RedisStorage#fromUrl} for its forms.
     *
     * @throws IllegalArgumentException when the URL is not of those forms
     */
    public Builder url(String url) {
      Objects.requireNonNull(url, "url");
      RedisUrl parsed = RedisUrl.parse(url);
      mode = parsed.mode();
      nodes = parsed.nodes();
      masterName = parsed.masterName();
      database = parsed.database();
      user = parsed.user();
      password = parsed.password();
      tls = parsed.tls();
      parsed.parameters().forEach(this::parameter);
      return this;
    }

    private void parameter(String name, String value) {
      switch (name) {
        case "namespace" -> namespace(value);
        case "timeout" -> timeout(RedisUrl.duration(name, value));
        case "ttlOffset" -> ttlOffset(RedisUrl.duration(name, value));
        case "backoff" -> backoff(RedisUrl.duration(name, value));
        default -> throw new IllegalArgumentException("unknown parameter " + name);
      }
    }

    /** One Redis server (the default is {@code 127.0.0.1:6379}). */
    public Builder server(String host, int port) {
      Objects.requireNonNull(host, "host");
      mode = Mode.STANDALONE;
      nodes = List.of(InetSocketAddress.createUnresolved(host, checkPort(port)));
      masterName = null;
      return this;
    }

    /**
     * The master that Sentinel names {@code masterName}, asked of {@code sentinels}; the storage
     * follows a failover to the new master. Sentinels are asked with the same timeout and TLS
     * setting, without credentials.
     */
    public Builder sentinel(String masterName, List<InetSocketAddress> sentinels) {
      Objects.requireNonNull(masterName, "masterName");
      this.mode = Mode.SENTINEL;
      this.masterName = masterName;
      this.nodes = List.copyOf(sentinels);
      return this;
    }

    /**
     * A Redis Cluster, found through any of {@code nodes}. Keys spread over the Cluster's slots;
     * SCAN visits every master. Only database 0 exists in a Cluster.
     */
    public Builder cluster(List<InetSocketAddress> nodes) {
      this.mode = Mode.CLUSTER;
      this.nodes = List.copyOf(nodes);
      this.masterName = null;
      return this;
    }

    /** The database number (default 0); a Cluster has only 0. */
    public Builder database(int database) {
      if (database < 0) {
        throw new IllegalArgumentException("database must not be negative: " + database);
      }
      this.database = database;
      return this;
    }

    /** The ACL user to authenticate as; without one, a password authenticates the default user. */
    public Builder user(@Nullable String user) {
      this.user = user;
      return this;
    }

    /** The password ({@code AUTH}); never shown by {@link RedisStorage#toString()}. */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /**
     * Whether to connect over TLS, with the JVM's default trust store and a check that the server's
     * certificate names its host (as {@code rediss://} does).
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      if (!tls) {
        sslContext = null;
      }
      return this;
    }

    /**
     * Connects over TLS with {@code context} (its trust store and client certificate); the server's
     * certificate must still name its host.
     */
    public Builder tls(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      this.tls = true;
      return this;
    }

    /**
     * The prefix of every key of this cache (default {@value RedisStorage#DEFAULT_NAMESPACE}), so
     * that many caches share one Redis: 1 to 100 letters, digits, {@code .}, {@code _} or {@code
     * -}.
     */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      new Layout(namespace); // checks it
      this.namespace = namespace;
      return this;
    }

    /**
     * The longest wait for a connection, for connecting, and for each reply (default 500 ms). In a
     * Cluster it also bounds the redirections and retries of one command.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /**
     * How long an entry stays in Redis after it went stale (default one hour): while it is there,
     * it can be revalidated or served under stale-if-error. Zero removes entries as they go stale.
     */
    public Builder ttlOffset(Duration ttlOffset) {
      Objects.requireNonNull(ttlOffset, "ttlOffset");
      if (ttlOffset.isNegative()) {
        throw new IllegalArgumentException("ttlOffset must not be negative: " + ttlOffset);
      }
      this.ttlOffset = ttlOffset;
      return this;
    }

    /**
     * How long Redis is skipped after a failure to reach it (default one second): meanwhile every
     * call fails at once, so that no request waits for a server that is down.
     */
    public Builder backoff(Duration backoff) {
      Objects.requireNonNull(backoff, "backoff");
      if (backoff.isNegative()) {
        throw new IllegalArgumentException("backoff must not be negative: " + backoff);
      }
      this.backoff = backoff;
      return this;
    }

    /**
     * The most connections kept to each server (default {@value
     * RedisStorage#DEFAULT_MAX_CONNECTIONS}).
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** The clock that times-to-live and the back-off are counted on (default the system's). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Returns a storage with these settings. It connects with its first command, not here.
     *
     * @throws IllegalArgumentException when the settings contradict each other
     */
    public RedisStorage build() {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("no Redis server given");
      }
      if (mode == Mode.CLUSTER && database != 0) {
        throw new IllegalArgumentException("Redis Cluster has only database 0, not " + database);
      }
      return new RedisStorage(copy());
    }

    Builder copy() {
      Builder copy = new Builder();
      copy.mode = mode;
      copy.nodes = List.copyOf(nodes);
      copy.masterName = masterName;
      copy.database = database;
      copy.user = user;
      copy.password = password;
      copy.tls = tls;
      copy.sslContext = sslContext;
      copy.namespace = namespace;
      copy.timeout = timeout;
      copy.ttlOffset = ttlOffset;
      copy.backoff = backoff;
      copy.maxConnections = maxConnections;
      copy.clock = clock;
      return copy;
    }

    /** The servers as a URL without the password, for messages. */
    String endpoint() {
      StringBuilder text = new StringBuilder("redis");
      if (tls) {
        text.append('s');
      }
      if (mode == Mode.SENTINEL) {
        text.append("+sentinel");
      } else if (mode == Mode.CLUSTER) {
        text.append("+cluster");
      }
      text.append("://");
      if (user != null) {
        text.append(user).append('@');
      }
      StringJoiner hosts = new StringJoiner(",");
      for (InetSocketAddress node : nodes) {
        String host = node.getHostString();
        hosts.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + node.getPort());
      }
      text.append(hosts);
      if (mode == Mode.SENTINEL) {
        text.append('/').append(masterName);
      }
      if (mode != Mode.CLUSTER) {
        text.append('/').append(database);
      }
      return text.toString();
    }

    /** Describes the settings, without the password. */
    @Override
    public String toString() {
      return "RedisStorage.Builder["
          + endpoint()
          + ", namespace="
          + namespace
          + ", timeout="
          + timeout
          + ", ttlOffset="
          + ttlOffset
          + "]";
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static int checkPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }
  }
}
