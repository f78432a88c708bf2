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
 * indexes, without its totals trigger, a {@code WITHOUT ROWID} table, other pragmas), each into a
 * new file, one transaction per insert. Each variant runs five rounds of {@code n} inserts of a 1
 * 400-byte value under new 64-hex-digit keys and prints the median and the mean of the last two
 * rounds. Not a JMH benchmark: a write changes the file, so its cost depends on how many came
 * before, which rounds show and JMH's iterations would hide.
 *
 * <pre>
 * java -cp httpcache-benchmarks/target/benchmarks.jar dev.httpcache.benchmarks.SqliteWrites
 * </pre>
 *
 * <p>The system property {@code n} (default 5 000) sets the inserts per round.
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
    storage(n);
    variant(
        n,
        "as shipped: row, key, expires and used indexes, totals trigger",
        true,
        true,
        false,
        null);
    variant(n, "without the expires and used indexes", false, true, false, null);
    variant(n, "without the totals trigger", true, false, false, null);
    variant(n, "without both", false, false, false, null);
    variant(n, "WITHOUT ROWID table", true, true, true, null);
    variant(
        n,
        "as shipped, locking_mode=EXCLUSIVE",
        true,
        true,
        false,
        "PRAGMA locking_mode=EXCLUSIVE");
    variant(n, "as shipped, synchronous=OFF", true, true, false, "PRAGMA synchronous=OFF");
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "%064x", i);
  }

  private static void storage(int n) throws Exception {
    Path dir = Files.createTempDirectory("httpcache-sqlite-writes-");
    try (Storage storage = Storage.sqlite(dir.resolve("cache.sqlite"))) {
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
    } finally {
      Resources.deleteTree(dir);
    }
  }

  private static void variant(
      int n,
      String name,
      boolean indexes,
      boolean trigger,
      boolean withoutRowid,
      @Nullable String pragma)
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
      s.execute(
          "CREATE TABLE responses (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires INTEGER,"
              + " size INTEGER NOT NULL DEFAULT 0, used INTEGER NOT NULL DEFAULT 0)"
              + (withoutRowid ? " WITHOUT ROWID" : ""));
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
              "INSERT INTO responses (key, value, expires, size, used) VALUES (?, ?, ?, ?, ?)"
                  + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires ="
                  + " excluded.expires, size = excluded.size, used = excluded.used")) {
        int k = 0;
        for (int round = 1; round <= ROUNDS; round++) {
          long[] times = new long[n];
          for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            insert(insert, key(k++));
            times[i] = System.nanoTime() - start;
          }
          report(name, round, times);
        }
      }
    } finally {
      Resources.deleteTree(dir);
    }
  }

  private static void insert(PreparedStatement insert, String key) throws SQLException {
    long now = System.currentTimeMillis();
    insert.setString(1, key);
    insert.setBytes(2, VALUE);
    insert.setLong(3, now + 86_400_000L);
    insert.setLong(4, VALUE.length);
    insert.setLong(5, now);
    insert.executeUpdate();
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
