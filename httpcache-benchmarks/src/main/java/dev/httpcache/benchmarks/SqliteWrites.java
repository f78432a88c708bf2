package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * What one write costs SQLite, apart from HTTP: first through {@link Storage#sqlite(Path)} as the
 * cache writes, then as plain JDBC inserts into variants of the storage's schema (without its
 * indexes, without its totals trigger, keyed by the text key as schema version 2 was, a {@code
 * WITHOUT ROWID} table, other pragmas), each into a new file, one transaction per insert. Each
 * variant runs five rounds of {@code n} inserts of a 1 400-byte value under new 64-hex-digit keys
 * and prints the median and the mean of the last two rounds. Not a JMH benchmark: a write changes
 * the file, so its cost depends on how many came before, which rounds show and JMH's iterations
 * would hide.
 *
 * <pre>
 * java -cp httpcache-benchmarks/target/benchmarks.jar dev.httpcache.benchmarks.SqliteWrites
 * </pre>
 *
 * <p>The system property {@code n} (default 5 000) sets the inserts per round. With the system
 * property {@code into} naming an existing cache file (a copy: it is written to), only the
 * storage's writes run, into that file: what a write costs in a large cache, for example a copy of
 * the million-entry file of {@link ScaleBenchmark}.
 */
public final class SqliteWrites {
  private static final int ROUNDS = 5;
  private static final byte[] VALUE = new byte[1400];

  static {
    new Random(1).nextBytes(VALUE);
  }

  private SqliteWrites() {}

  /** Runs the storage's writes, then each schema variant. */
  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("n", 5_000);
    String into = System.getProperty("into");
    if (into != null) {
      Path file = Path.of(into);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no cache file at " + file);
      }
      try (Storage storage = Storage.sqlite(file)) {
        puts(storage, n);
      }
      return;
    }
    storage(n);
    variant(n, "as shipped: rows by id, expires and used indexes, totals trigger", Table.BY_ID);
    variant(n, "without the expires and used indexes", Table.BY_ID, false, true, null);
    variant(n, "without the totals trigger", Table.BY_ID, true, false, null);
    variant(n, "without both", Table.BY_ID, false, false, null);
    variant(n, "schema version 2: rows by rowid, key index", Table.BY_KEY);
    variant(n, "WITHOUT ROWID table keyed by the text key", Table.WITHOUT_ROWID);
    variant(
        n,
        "as shipped, locking_mode=EXCLUSIVE",
        Table.BY_ID,
        true,
        true,
        "PRAGMA locking_mode=EXCLUSIVE");
    variant(n, "as shipped, synchronous=OFF", Table.BY_ID, true, true, "PRAGMA synchronous=OFF");
  }

  /** How the responses table is keyed. */
  private enum Table {
    /** As shipped: {@code id INTEGER PRIMARY KEY}, the id a hash of the key. */
    BY_ID,
    /** As schema version 2: {@code key TEXT PRIMARY KEY}, a rowid table with an index on key. */
    BY_KEY,
    /** {@code key TEXT PRIMARY KEY} in a {@code WITHOUT ROWID} table. */
    WITHOUT_ROWID
  }

  private static void variant(int n, String name, Table table) throws Exception {
    variant(n, name, table, true, true, null);
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "%064x", i);
  }

  private static void storage(int n) throws Exception {
    Path dir = Files.createTempDirectory("httpcache-sqlite-writes-");
    try (Storage storage = Storage.sqlite(dir.resolve("cache.sqlite"))) {
      puts(storage, n);
    } finally {
      Resources.deleteTree(dir);
    }
  }

  /** Five rounds of {@code n} puts under new keys (none of them a scale entry's key). */
  private static void puts(Storage storage, int n) throws Exception {
    int k = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      long[] times = new long[n];
      for (int i = 0; i < n; i++) {
        String key = key(k++);
        Instant expires = Instant.now().plusSeconds(86_400);
        long start = System.nanoTime();
        storage.put(Namespace.RESPONSES, key, VALUE, expires);
        times[i] = System.nanoTime() - start;
      }
      report("Storage.sqlite put", round, times);
    }
  }

  private static void variant(
      int n, String name, Table table, boolean indexes, boolean trigger, @Nullable String pragma)
      throws Exception {
    Path dir = Files.createTempDirectory("httpcache-sqlite-writes-");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.sqlite"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      if (pragma != null) {
        s.execute(pragma);
      }
      s.execute(
          "CREATE TABLE totals (name TEXT PRIMARY KEY, entries INTEGER NOT NULL,"
              + " bytes INTEGER NOT NULL)");
      s.execute("INSERT INTO totals VALUES ('responses', 0, 0)");
      boolean byId = table == Table.BY_ID;
      s.execute(
          "CREATE TABLE responses ("
              + (byId ? "id INTEGER PRIMARY KEY, key TEXT NOT NULL" : "key TEXT PRIMARY KEY")
              + ", value BLOB NOT NULL, expires INTEGER,"
              + " size INTEGER NOT NULL DEFAULT 0, used INTEGER NOT NULL DEFAULT 0)"
              + (table == Table.WITHOUT_ROWID ? " WITHOUT ROWID" : ""));
      if (indexes) {
        s.execute("CREATE INDEX responses_expires ON responses (expires)");
        s.execute("CREATE INDEX responses_used ON responses (used)");
      }
      if (trigger) {
        s.execute(
            "CREATE TRIGGER responses_added AFTER INSERT ON responses BEGIN UPDATE totals SET"
                + " entries = entries + 1, bytes = bytes + NEW.size WHERE name = 'responses'; END");
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              byId
                  ? "INSERT INTO responses (id, key, value, expires, size, used)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET key ="
                      + " excluded.key, value = excluded.value, expires = excluded.expires,"
                      + " size = excluded.size, used = excluded.used"
                  : "INSERT INTO responses (key, value, expires, size, used)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value ="
                      + " excluded.value, expires = excluded.expires, size = excluded.size, used"
                      + " = excluded.used")) {
        int k = 0;
        for (int round = 1; round <= ROUNDS; round++) {
          long[] times = new long[n];
          for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            insert(insert, key(k++), byId);
            times[i] = System.nanoTime() - start;
          }
          report(name, round, times);
        }
      }
    } finally {
      Resources.deleteTree(dir);
    }
  }

  private static void insert(PreparedStatement insert, String key, boolean byId)
      throws SQLException {
    long now = System.currentTimeMillis();
    int p = 1;
    if (byId) {
      insert.setLong(p++, id(key));
    }
    insert.setString(p++, key);
    insert.setBytes(p++, VALUE);
    insert.setLong(p++, now + 86_400_000L);
    insert.setLong(p++, VALUE.length);
    insert.setLong(p, now);
    insert.executeUpdate();
  }

  /**
   * A row id spread over 64 bits, as the storage's ids are: its own function is internal to it, and
   * any spread id puts consecutive rows at random places of the table, which is what a write pays.
   */
  static long id(String key) {
    long h = key.hashCode() * 0x9e3779b97f4a7c15L;
    return h ^ (h >>> 29);
  }

  private static void report(String name, int round, long[] times) {
    if (round <= ROUNDS - 2) {
      return; // the first rounds warm the JIT and grow the file
    }
    long total = 0;
    for (long t : times) {
      total += t;
    }
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-64s round %d: median %.1f us, mean %.1f us%n",
        name,
        round,
        sorted[sorted.length / 2] / 1e3,
        total / 1e3 / times.length);
  }
}
