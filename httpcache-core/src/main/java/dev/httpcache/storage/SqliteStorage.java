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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite storage: one file, two tables ({@code responses} and {@code redirects}), each {@code
 * (id INTEGER PRIMARY KEY, key TEXT, value BLOB, expires INTEGER, size INTEGER, used INTEGER)} with
 * indexes on {@code expires} (epoch milliseconds, {@code NULL} for never) and {@code used} (epoch
 * milliseconds of the last write or read), and a {@code totals} table of entries and bytes per
 * table that triggers keep current, so that counting and bounding cost one row read at any size.
 *
 * <p>A row's {@code id} is a 64-bit hash of its key ({@link #id}), so that a read is one search of
 * the table's own B-tree, not a search of a key index and then of the table: at a million entries
 * that is one or two fewer pages to fetch from the operating system per hit. Every statement on a
 * key also matches the key itself, so two keys of one id never read each other's value: they share
 * one row, and writing one evicts the other.
 *
 * <p>Safe for many threads and for several processes on one file:
 *
 * <ul>
 *   <li>The database runs in WAL mode, so readers never block the writer nor each other, across
 *       processes too; {@code synchronous=NORMAL}, which WAL makes safe against an application
 *       crash (a power loss may lose the last commits, never corrupt the file).
 *   <li>Each operation is one short statement in its own transaction (or, for trims, purges and
 *       clears, one short transaction of a few statements), on a connection taken from a small
 *       pool; every connection keeps its prepared statements. A thread never shares a connection
 *       with another while it uses it.
 *   <li>Writers of one process take turns on a lock before they reach SQLite, so they wait in the
 *       JVM rather than in SQLite's sleeping busy handler; writers of other processes wait through
 *       a busy timeout ({@value #BUSY_TIMEOUT_MILLIS} ms). Writes ask for the write lock at their
 *       start ({@code BEGIN IMMEDIATE}), which is where the busy timeout applies, so no "database
 *       is locked" error reaches a caller under ordinary contention.
 * </ul>
 *
 * <p>Reads do not write: once the storage has been {@linkplain #trim trimmed}, a read records the
 * key's use in memory (at most {@value #MAX_TOUCHED} keys), and the next trim, or {@link #close},
 * writes those times in one transaction. Until then the time of its write stands for a value's last
 * use. Eviction is therefore least-recently-used as seen by each process.
 *
 * <p>A new file is created readable and writable by its owner only, since it holds responses that
 * may be private to the user. A file of schema version 1 is upgraded in place when opened.
 */
final class SqliteStorage implements Storage {
  private static final System.Logger LOG = System.getLogger(SqliteStorage.class.getName());

  /** How long a statement waits for another process's write lock before it fails. */
  static final int BUSY_TIMEOUT_MILLIS = 30_000;

  /** How many idle connections are kept; more are opened under load and closed after. */
  static final int MAX_IDLE_CONNECTIONS = 8;

  /** The schema version kept in {@code PRAGMA user_version}. */
  static final int SCHEMA_VERSION = 3;

  /** How many reads' times are kept in memory until a trim or close writes them. */
  static final int MAX_TOUCHED = 16_384;

  /** How many keys one page of a scan reads. */
  static final int SCAN_PAGE = 1_000;

  /** How many values one statement of a purge or a trim removes at most. */
  static final int DELETE_BATCH = 5_000;

  private static final String[] TABLES = {"responses", "redirects"};

  private final Path path;
  private final SQLiteDataSource dataSource;
  // The most of the file each connection maps (PRAGMA mmap_size); 0 for none.
  private final long mmapBytes;
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ConcurrentHashMap<String, Long> touched = new ConcurrentHashMap<>();
  // The row id of a key: id(String), or another function in tests that make keys collide.
  private final ToLongFunction<String> ids;
  private volatile boolean tracking;
  private volatile boolean closed;

  private SqliteStorage(
      Path path, SQLiteDataSource dataSource, long mmapBytes, ToLongFunction<String> ids) {
    this.path = path;
    this.dataSource = dataSource;
    this.mmapBytes = mmapBytes;
    this.ids = ids;
  }

  /**
   * Opens (creating it and its parent folders if needed) the database at {@code path}, mapping up
   * to {@code mmapBytes} of it into memory for reads (0 for none).
   */
  static SqliteStorage open(Path path, long mmapBytes) throws IOException {
    return open(path, mmapBytes, SqliteStorage::id);
  }

  /** As {@link #open(Path, long)}, with {@code ids} giving each key its row id; for tests. */
  static SqliteStorage open(Path path, long mmapBytes, ToLongFunction<String> ids)
      throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    createPrivately(absolute);
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + absolute);
    SqliteStorage storage = new SqliteStorage(absolute, dataSource, mmapBytes, ids);
    Conn first = storage.connect();
    try {
      first.createSchema(ids);
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

  /**
   * Returns the row id of {@code key}: a 64-bit hash of all its characters (FNV-1a, then the
   * finalizer of MurmurHash3, so that every character moves every bit). Keys that differ anywhere,
   * as structured keys of a custom key function do, get different ids but by a chance of one in
   * 2<sup>64</sup> per pair.
   */
  static long id(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0, n = key.length(); i < n; i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Returns the database file. */
  Path path() {
    return path;
  }

  /** Returns how much of the file a connection maps, as SQLite reports it; for tests. */
  long mappedBytes() throws IOException {
    return read(
        "mmap_size",
        conn -> {
          try (Statement s = conn.connection.createStatement();
              ResultSet rs = s.executeQuery("PRAGMA mmap_size")) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    return read(
        "get",
        conn -> {
          PreparedStatement select = conn.statement(namespace, Sql.GET);
          select.setLong(1, ids.applyAsLong(key));
          select.setString(2, key);
          try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            if (tracking && namespace == Namespace.RESPONSES && touched.size() < MAX_TOUCHED) {
              touched.put(key, System.currentTimeMillis());
            }
            return Optional.of(rs.getBytes(1));
          }
        });
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    write("put", conn -> upsert(conn, namespace, key, value, expires));
  }

  /** Stores every entry in one transaction: one commit, however many entries. */
  @Override
  public void putAll(Namespace namespace, List<Entry> entries) throws IOException {
    if (entries.isEmpty()) {
      return;
    }
    transaction(
        "put",
        conn -> {
          int n = 0;
          for (Entry entry : entries) {
            n += upsert(conn, namespace, entry.key(), entry.value(), entry.expires());
          }
          return n;
        });
  }

  private int upsert(
      Conn conn, Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws SQLException {
    PreparedStatement upsert = conn.statement(namespace, Sql.PUT);
    upsert.setLong(1, ids.applyAsLong(key));
    upsert.setString(2, key);
    upsert.setBytes(3, value);
    if (expires == null) {
      upsert.setNull(4, Types.INTEGER);
    } else {
      upsert.setLong(4, toMillis(expires));
    }
    upsert.setLong(5, value.length);
    upsert.setLong(6, System.currentTimeMillis());
    touched.remove(key);
    return upsert.executeUpdate();
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    return write(
            "remove",
            conn -> {
              PreparedStatement delete = conn.statement(namespace, Sql.REMOVE);
              delete.setLong(1, ids.applyAsLong(key));
              delete.setString(2, key);
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
    return read("count", conn -> conn.totals(namespace)[0]);
  }

  @Override
  public long bytes(Namespace namespace) throws IOException {
    return read("bytes", conn -> conn.totals(namespace)[1]);
  }

  @Override
  public Cursor scan(Namespace namespace) throws IOException {
    checkOpen(); // fail now, not at the first page
    return new Cursor() {
      private final ArrayDeque<Item> page = new ArrayDeque<>();
      // The id of the last row read: the pass goes in the order of ids, a page after another.
      private @Nullable Long after;
      private boolean done;

      @Override
      public Optional<Item> next() throws IOException {
        if (page.isEmpty() && !done) {
          fill();
        }
        return Optional.ofNullable(page.pollFirst());
      }

      private void fill() throws IOException {
        Long from = after;
        long[] last = new long[1];
        List<Item> items =
            read(
                "scan",
                conn -> {
                  PreparedStatement select =
                      from == null
                          ? conn.statement(namespace, Sql.SCAN_FIRST)
                          : conn.statement(namespace, Sql.SCAN_AFTER);
                  int p = 1;
                  if (from != null) {
                    select.setLong(p++, from);
                  }
                  select.setInt(p, SCAN_PAGE);
                  List<Item> found = new ArrayList<>(SCAN_PAGE);
                  try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                      long expires = rs.getLong(4);
                      Instant at = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
                      found.add(new Item(rs.getString(2), rs.getLong(3), at));
                      last[0] = rs.getLong(1);
                    }
                  }
                  return found;
                });
        page.addAll(items);
        done = items.size() < SCAN_PAGE;
        if (!items.isEmpty()) {
          after = last[0];
        }
      }

      @Override
      public void close() {
        done = true;
        page.clear();
      }
    };
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) throws IOException {
    long cutoff = toMillis(now);
    long removed = 0;
    while (true) {
      // Batches keep each transaction short, so other writers wait a little, many times.
      int batch =
          write(
              "purge",
              conn -> {
                PreparedStatement delete = conn.statement(namespace, Sql.REMOVE_EXPIRED);
                delete.setLong(1, cutoff);
                delete.setInt(2, DELETE_BATCH);
                return delete.executeUpdate();
              });
      removed += batch;
      if (batch < DELETE_BATCH) {
        return removed;
      }
    }
  }

  @Override
  public boolean evicts() {
    return true;
  }

  @Override
  public List<String> trim(long maxEntries, long maxBytes) throws IOException {
    tracking = true;
    long[] totals = read("trim", conn -> conn.totals(Namespace.RESPONSES));
    if (totals[0] <= maxEntries && totals[1] <= maxBytes) {
      return List.of();
    }
    return transaction(
        "trim",
        conn -> {
          flushTouched(conn);
          long[] now = conn.totals(Namespace.RESPONSES); // another process may have trimmed
          long entries = now[0];
          long bytes = now[1];
          long entryTarget = Eviction.target(maxEntries);
          long byteTarget = Eviction.target(maxBytes);
          List<String> removed = new ArrayList<>();
          PreparedStatement oldest = conn.statement(Namespace.RESPONSES, Sql.OLDEST);
          PreparedStatement delete = conn.statement(Namespace.RESPONSES, Sql.REMOVE);
          while ((entries > maxEntries || bytes > maxBytes)
              || (!removed.isEmpty() && (entries > entryTarget || bytes > byteTarget))) {
            oldest.setInt(1, DELETE_BATCH);
            List<String> keys = new ArrayList<>();
            List<Long> rowIds = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            try (ResultSet rs = oldest.executeQuery()) {
              while (rs.next()) {
                rowIds.add(rs.getLong(1));
                keys.add(rs.getString(2));
                sizes.add(rs.getLong(3));
              }
            }
            if (keys.isEmpty()) {
              break;
            }
            for (int i = 0; i < keys.size() && (entries > entryTarget || bytes > byteTarget); i++) {
              delete.setLong(1, rowIds.get(i));
              delete.setString(2, keys.get(i));
              delete.executeUpdate();
              entries--;
              bytes -= sizes.get(i);
              removed.add(keys.get(i));
            }
          }
          return removed;
        });
  }

  /** Writes the times of the reads recorded since the last flush; inside a write transaction. */
  private void flushTouched(Conn conn) throws SQLException {
    if (touched.isEmpty()) {
      return;
    }
    PreparedStatement touch = conn.statement(Namespace.RESPONSES, Sql.TOUCH);
    List<Map.Entry<String, Long>> flushed = new ArrayList<>(touched.entrySet());
    for (Map.Entry<String, Long> entry : flushed) {
      touch.setLong(1, entry.getValue());
      touch.setLong(2, ids.applyAsLong(entry.getKey()));
      touch.setString(3, entry.getKey());
      touch.setLong(4, entry.getValue());
      touch.addBatch();
    }
    touch.executeBatch();
    for (Map.Entry<String, Long> entry : flushed) {
      touched.remove(entry.getKey(), entry.getValue());
    }
  }

  @Override
  public void clear() throws IOException {
    transaction(
        "clear",
        conn -> {
          try (Statement s = conn.connection.createStatement()) {
            for (String table : TABLES) {
              // Without its delete trigger, SQLite empties a table at once instead of row by row.
              s.execute("DROP TRIGGER IF EXISTS " + table + "_removed");
              s.execute("DELETE FROM " + table);
              s.execute("UPDATE totals SET entries = 0, bytes = 0 WHERE name = '" + table + "'");
              s.execute(Conn.removedTrigger(table));
            }
          }
          touched.clear();
          return 0;
        });
  }

  @Override
  public void close() {
    if (!closed && tracking && !touched.isEmpty()) {
      try {
        transaction(
            "close",
            conn -> {
              flushTouched(conn);
              return 0;
            });
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "recording the last reads of " + path + " failed", e);
      }
    }
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
  private <T> T write(String operation, Query<T> update) throws IOException {
    writeLock.lock();
    try {
      return read(operation, update);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE}), holding the turn. The
   * transaction is begun and ended by the connection's own prepared statements, not by the driver's
   * {@code setAutoCommit(false)} and {@code commit()}: those prepare their text on every call, and
   * {@code commit()} begins the next write transaction at once, which {@code setAutoCommit(true)}
   * then commits empty, taking and releasing the file's write lock a second time.
   */
  private <T> T transaction(String operation, Query<T> work) throws IOException {
    return write(
        operation,
        conn -> {
          conn.control(Control.BEGIN).executeUpdate();
          T result;
          try {
            result = work.run(conn);
            conn.control(Control.COMMIT).executeUpdate();
          } catch (SQLException | RuntimeException e) {
            try {
              conn.control(Control.ROLLBACK).executeUpdate();
            } catch (SQLException rollback) {
              e.addSuppressed(rollback); // the connection is closed, not pooled: see read()
            }
            throw e;
          }
          return result;
        });
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the SQLite storage " + path + " is closed");
    }
  }

  private Conn acquire() throws IOException {
    checkOpen();
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
        if (mmapBytes > 0) {
          s.execute("PRAGMA mmap_size = " + mmapBytes);
        }
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
    GET("SELECT value FROM %s WHERE id = ? AND key = ?"),
    // A row of the same id under another key is replaced: the two keys share one row.
    PUT(
        "INSERT INTO %s (id, key, value, expires, size, used) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET key = excluded.key, value = excluded.value,"
            + " expires = excluded.expires, size = excluded.size, used = excluded.used"),
    REMOVE("DELETE FROM %s WHERE id = ? AND key = ?"),
    KEYS("SELECT key FROM %s"),
    TOTALS("SELECT entries, bytes FROM totals WHERE name = '%s'"),
    SCAN_FIRST("SELECT id, key, size, expires FROM %s ORDER BY id LIMIT ?"),
    SCAN_AFTER("SELECT id, key, size, expires FROM %s WHERE id > ? ORDER BY id LIMIT ?"),
    REMOVE_EXPIRED("DELETE FROM %1$s WHERE id IN (SELECT id FROM %1$s WHERE expires <= ? LIMIT ?)"),
    OLDEST("SELECT id, key, size FROM %s ORDER BY used LIMIT ?"),
    TOUCH("UPDATE %s SET used = ? WHERE id = ? AND key = ? AND used < ?");

    private final String[] perTable;

    Sql(String template) {
      this.perTable = new String[TABLES.length];
      for (int i = 0; i < TABLES.length; i++) {
        perTable[i] = String.format(template, TABLES[i]);
      }
    }

    String forTable(Namespace namespace) {
      return perTable[namespace.ordinal()];
    }
  }

  /** The statements that begin and end a write transaction. */
  private enum Control {
    BEGIN("BEGIN IMMEDIATE"),
    COMMIT("COMMIT"),
    ROLLBACK("ROLLBACK");

    final String sql;

    Control(String sql) {
      this.sql = sql;
    }
  }

  /** One connection and the statements prepared on it; used by one thread at a time. */
  private static final class Conn {
    final Connection connection;
    // Indexed by statement and table, so that a hit finds its statement without hashing text.
    private final @Nullable PreparedStatement[][] statements =
        new PreparedStatement[Sql.values().length][TABLES.length];
    private final @Nullable PreparedStatement[] controls =
        new PreparedStatement[Control.values().length];

    Conn(Connection connection) {
      this.connection = connection;
    }

    /** Returns the entries and bytes of the namespace's table. */
    long[] totals(Namespace namespace) throws SQLException {
      try (ResultSet rs = statement(namespace, Sql.TOTALS).executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[2];
      }
    }

    PreparedStatement control(Control control) throws SQLException {
      PreparedStatement statement = controls[control.ordinal()];
      if (statement == null) {
        statement = connection.prepareStatement(control.sql);
        controls[control.ordinal()] = statement;
      }
      return statement;
    }

    PreparedStatement statement(Namespace namespace, Sql sql) throws SQLException {
      PreparedStatement statement = statements[sql.ordinal()][namespace.ordinal()];
      if (statement == null) {
        statement = connection.prepareStatement(sql.forTable(namespace));
        statements[sql.ordinal()][namespace.ordinal()] = statement;
      }
      return statement;
    }

    /**
     * Creates the schema, or upgrades a file of an older version, in one write transaction, so that
     * two processes opening a new file at once do it once. Versions 1 and 2 kept each table under
     * {@code key TEXT PRIMARY KEY} (version 1 without sizes, use times and totals): their rows are
     * copied into the new table under their ids ({@code ids}), with their sizes, use times (the
     * time of the upgrade where there were none) and expiry.
     */
    void createSchema(ToLongFunction<String> ids) throws SQLException {
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
          version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
          throw new SQLException(
              "the cache file has schema version "
                  + version
                  + ", newer than this httpcache understands ("
                  + SCHEMA_VERSION
                  + "); upgrade httpcache or use another file");
        }
        if (version < SCHEMA_VERSION) {
          long now = System.currentTimeMillis();
          s.execute(
              "CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, entries INTEGER NOT NULL,"
                  + " bytes INTEGER NOT NULL)");
          for (String table : TABLES) {
            String old = null;
            if (hasColumn(s, table, "key") && !hasColumn(s, table, "id")) {
              // Version 1 or 2: set the table aside, with nothing of it left under the new names.
              old = table + "_v2";
              for (String trigger : List.of("_added", "_removed", "_changed")) {
                s.execute("DROP TRIGGER IF EXISTS " + table + trigger);
              }
              s.execute("DROP INDEX IF EXISTS " + table + "_expires");
              s.execute("DROP INDEX IF EXISTS " + table + "_used");
              s.execute("ALTER TABLE " + table + " RENAME TO " + old);
            }
            s.execute(
                "CREATE TABLE IF NOT EXISTS "
                    + table
                    + " (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB NOT NULL,"
                    + " expires INTEGER, size INTEGER NOT NULL, used INTEGER NOT NULL)");
            if (old != null) {
              copyRows(s, old, table, ids, now);
              s.execute("DROP TABLE " + old);
            }
            s.execute(
                "CREATE INDEX IF NOT EXISTS " + table + "_expires ON " + table + " (expires)");
            s.execute("CREATE INDEX IF NOT EXISTS " + table + "_used ON " + table + " (used)");
            s.execute(
                "INSERT OR REPLACE INTO totals SELECT '"
                    + table
                    + "', count(*), coalesce(sum(size), 0) FROM "
                    + table);
            s.execute(
                "CREATE TRIGGER IF NOT EXISTS "
                    + table
                    + "_added AFTER INSERT ON "
                    + table
                    + " BEGIN UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size"
                    + " WHERE name = '"
                    + table
                    + "'; END");
            s.execute(removedTrigger(table));
            s.execute(
                "CREATE TRIGGER IF NOT EXISTS "
                    + table
                    + "_changed AFTER UPDATE OF size ON "
                    + table
                    + " BEGIN UPDATE totals SET bytes = bytes + NEW.size - OLD.size WHERE name = '"
                    + table
                    + "'; END");
          }
          s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }

    /**
     * Copies every row of the version 1 or 2 table {@code from} into {@code to}, under its id; of
     * two keys of one id, the first read is kept.
     */
    private void copyRows(Statement s, String from, String to, ToLongFunction<String> ids, long now)
        throws SQLException {
      String columns =
          hasColumn(s, from, "size")
              ? "key, value, expires, size, used"
              : "key, value, expires, length(value), " + now;
      try (ResultSet rows = s.executeQuery("SELECT " + columns + " FROM " + from);
          PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO "
                      + to
                      + " (id, key, value, expires, size, used) VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO NOTHING")) {
        while (rows.next()) {
          String key = rows.getString(1);
          insert.setLong(1, ids.applyAsLong(key));
          insert.setString(2, key);
          insert.setBytes(3, rows.getBytes(2));
          long expires = rows.getLong(3);
          if (rows.wasNull()) {
            insert.setNull(4, Types.INTEGER);
          } else {
            insert.setLong(4, expires);
          }
          insert.setLong(5, rows.getLong(4));
          insert.setLong(6, rows.getLong(5));
          insert.executeUpdate();
        }
      }
    }

    static String removedTrigger(String table) {
      return "CREATE TRIGGER IF NOT EXISTS "
          + table
          + "_removed AFTER DELETE ON "
          + table
          + " BEGIN UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size WHERE name = '"
          + table
          + "'; END";
    }

    private static boolean hasColumn(Statement s, String table, String column) throws SQLException {
      try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
        while (rs.next()) {
          if (column.equals(rs.getString("name"))) {
            return true;
          }
        }
        return false;
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
