package dev.httpcache.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite storage: one file, two tables ({@code responses} and {@code redirects}), each {@code
 * (key TEXT PRIMARY KEY, value BLOB, expires INTEGER)} with an index on {@code expires} (epoch
 * milliseconds, {@code NULL} for never).
 *
 * <p>Safe for many threads and for several processes on one file:
 *
 * <ul>
 *   <li>The database runs in WAL mode, so readers never block the writer nor each other, across
 *       processes too; {@code synchronous=NORMAL}, which WAL makes safe against an application
 *       crash (a power loss may lose the last commits, never corrupt the file).
 *   <li>Each operation is one short statement in its own transaction, on a connection taken from a
 *       small pool; every connection keeps its prepared statements. A thread never shares a
 *       connection with another while it uses it.
 *   <li>Writers of one process take turns on a lock before they reach SQLite, so they wait in the
 *       JVM rather than in SQLite's sleeping busy handler; writers of other processes wait through
 *       a busy timeout ({@value #BUSY_TIMEOUT_MILLIS} ms). A write in autocommit mode asks for the
 *       write lock at its start, which is where the busy timeout applies, so no "database is
 *       locked" error reaches a caller under ordinary contention.
 * </ul>
 *
 * <p>A new file is created readable and writable by its owner only, since it holds responses that
 * may be private to the user.
 */
final class SqliteStorage implements Storage {
  private static final System.Logger LOG = System.getLogger(SqliteStorage.class.getName());

  /** How long a statement waits for another process's write lock before it fails. */
  static final int BUSY_TIMEOUT_MILLIS = 30_000;

  /** How many idle connections are kept; more are opened under load and closed after. */
  static final int MAX_IDLE_CONNECTIONS = 8;

  /** The schema version kept in {@code PRAGMA user_version}. */
  static final int SCHEMA_VERSION = 1;

  private static final String[] TABLES = {"responses", "redirects"};

  private final Path path;
  private final SQLiteDataSource dataSource;
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean closed;

  private SqliteStorage(Path path, SQLiteDataSource dataSource) {
    this.path = path;
    this.dataSource = dataSource;
  }

  /** Opens (creating it and its parent folders if needed) the database at {@code path}. */
  static SqliteStorage open(Path path) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    createPrivately(absolute);
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + absolute);
    SqliteStorage storage = new SqliteStorage(absolute, dataSource);
    Conn first = storage.connect();
    try {
      first.createSchema();
    } catch (SQLException e) {
      first.closeQuietly();
      throw storage.failure("open", e);
    }
    storage.release(first);
    return storage;
  }

  /** Creates an empty file with owner-only permissions where the file system has them. */
  private static void createPrivately(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first; SQLite takes it from here.
    }
  }

  /** Returns the database file. */
  Path path() {
    return path;
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    return read(
        "get",
        conn -> {
          PreparedStatement select = conn.statement(namespace, Sql.GET);
          select.setString(1, key);
          try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
          }
        });
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    write(
        "put",
        conn -> {
          PreparedStatement upsert = conn.statement(namespace, Sql.PUT);
          upsert.setString(1, key);
          upsert.setBytes(2, value);
          if (expires == null) {
            upsert.setNull(3, Types.INTEGER);
          } else {
            upsert.setLong(3, toMillis(expires));
          }
          return upsert.executeUpdate();
        });
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    return write(
            "remove",
            conn -> {
              PreparedStatement delete = conn.statement(namespace, Sql.REMOVE);
              delete.setString(1, key);
              return delete.executeUpdate();
            })
        > 0;
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    return read(
        "keys",
        conn -> {
          try (ResultSet rs = conn.statement(namespace, Sql.KEYS).executeQuery()) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) {
              keys.add(rs.getString(1));
            }
            return keys;
          }
        });
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    return read(
        "count",
        conn -> {
          try (ResultSet rs = conn.statement(namespace, Sql.COUNT).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  @Override
  public void clear() throws IOException {
    write(
        "clear",
        conn -> {
          conn.connection.setAutoCommit(false);
          try {
            int n = 0;
            for (Namespace ns : Namespace.values()) {
              n += conn.statement(ns, Sql.CLEAR).executeUpdate();
            }
            conn.connection.commit();
            return n;
          } catch (SQLException | RuntimeException e) {
            conn.connection.rollback();
            throw e;
          } finally {
            conn.connection.setAutoCommit(true);
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    Conn conn;
    while ((conn = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      conn.closeQuietly();
    }
  }

  @Override
  public String toString() {
    return "SqliteStorage[" + path + "]";
  }

  // ---- connections ----

  /** A query on a pooled connection. */
  @FunctionalInterface
  private interface Query<T> {
    T run(Conn conn) throws SQLException;
  }

  /**
   * Runs {@code query} on a pooled connection. A connection that failed is closed, not pooled: an
   * SQLite error may leave it in a state the next user should not inherit.
   */
  private <T> T read(String operation, Query<T> query) throws IOException {
    Conn conn = acquire();
    T result;
    try {
      result = query.run(conn);
    } catch (SQLException e) {
      conn.closeQuietly();
      throw failure(operation, e);
    } catch (RuntimeException e) {
      conn.closeQuietly();
      throw e;
    }
    release(conn);
    return result;
  }

  /** Runs {@code update} while holding this process's write turn. */
  private int write(String operation, Query<Integer> update) throws IOException {
    writeLock.lock();
    try {
      return read(operation, update);
    } finally {
      writeLock.unlock();
    }
  }

  private Conn acquire() throws IOException {
    if (closed) {
      throw new IllegalStateException("the SQLite storage " + path + " is closed");
    }
    Conn conn = idle.pollFirst();
    if (conn != null) {
      idleCount.decrementAndGet();
      return conn;
    }
    return connect();
  }

  private void release(Conn conn) {
    if (closed || idleCount.incrementAndGet() > MAX_IDLE_CONNECTIONS) {
      idleCount.decrementAndGet();
      conn.closeQuietly();
      return;
    }
    idle.offerFirst(conn);
    if (closed && idle.remove(conn)) {
      // close() ran while this connection was being returned.
      idleCount.decrementAndGet();
      conn.closeQuietly();
    }
  }

  private Conn connect() throws IOException {
    try {
      Connection connection = dataSource.getConnection();
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
          String mode = rs.next() ? rs.getString(1) : "";
          if (!"wal".equalsIgnoreCase(mode)) {
            LOG.log(
                Level.WARNING,
                "SQLite cache {0} runs in journal mode {1}, not WAL; several processes will wait"
                    + " on each other",
                path,
                mode);
          }
        }
        s.execute("PRAGMA synchronous = NORMAL");
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      return new Conn(connection);
    } catch (SQLException e) {
      throw failure("open", e);
    }
  }

  private IOException failure(String operation, SQLException e) {
    String message = e.getMessage();
    if (message != null && message.contains("SQLITE_NOTADB")) {
      return new IOException(
          path + " is not an SQLite database; delete it or choose another cache file", e);
    }
    return new IOException("SQLite " + operation + " on " + path + " failed: " + message, e);
  }

  private static long toMillis(Instant instant) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** The statements, per table. */
  private enum Sql {
    GET("SELECT value FROM %s WHERE key = ?"),
    PUT(
        "INSERT INTO %s (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
            + " value = excluded.value, expires = excluded.expires"),
    REMOVE("DELETE FROM %s WHERE key = ?"),
    KEYS("SELECT key FROM %s"),
    COUNT("SELECT count(*) FROM %s"),
    CLEAR("DELETE FROM %s");

    private final String template;

    Sql(String template) {
      this.template = template;
    }

    String forTable(Namespace namespace) {
      return String.format(template, TABLES[namespace.ordinal()]);
    }
  }

  /** One connection and the statements prepared on it; used by one thread at a time. */
  private static final class Conn {
    final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Conn(Connection connection) {
      this.connection = connection;
    }

    PreparedStatement statement(Namespace namespace, Sql sql) throws SQLException {
      String text = sql.forTable(namespace);
      PreparedStatement statement = statements.get(text);
      if (statement == null) {
        statement = connection.prepareStatement(text);
        statements.put(text, statement);
      }
      return statement;
    }

    void createSchema() throws SQLException {
      try (Statement s = connection.createStatement()) {
        for (String table : TABLES) {
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + table
                  + " (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires INTEGER)");
          s.execute("CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires)");
        }
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
          version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version == 0) {
          s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        } else if (version > SCHEMA_VERSION) {
          throw new SQLException(
              "the cache file has schema version "
                  + version
                  + ", newer than this httpcache understands ("
                  + SCHEMA_VERSION
                  + "); upgrade httpcache or use another file");
        }
      }
    }

    void closeQuietly() {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.log(Level.DEBUG, "closing an SQLite connection failed", e);
      }
    }
  }
}
