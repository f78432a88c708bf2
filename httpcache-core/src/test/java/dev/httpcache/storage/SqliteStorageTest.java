package dev.httpcache.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SqliteStorageTest extends StorageContract {
  @TempDir Path dir;

  @Override
  protected Storage open() throws IOException {
    return Storage.sqlite(dir.resolve("cache.sqlite"));
  }

  private static String pragma(Path file, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  @Test
  void theFileAndItsParentFoldersAreCreatedPrivateToTheOwner() throws IOException {
    Path file = dir.resolve("a/b/c/cache.sqlite");
    try (Storage s = Storage.sqlite(file)) {
      s.put(Namespace.RESPONSES, "k", bytes("v"), null);
    }
    assertThat(file).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void aBatchIsCommittedWholeAndLeavesTheFileUnlocked() throws Exception {
    Path file = dir.resolve("cache.sqlite");
    storage.putAll(
        Namespace.RESPONSES,
        List.of(
            new Storage.Entry("a", bytes("1"), LATER),
            new Storage.Entry("b", bytes("2"), null),
            new Storage.Entry("a", bytes("3"), LATER)));

    // Another process sees the batch at once and may write: no transaction was left open.
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = other.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      s.execute("BEGIN IMMEDIATE");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM responses")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(2);
      }
      s.execute("COMMIT");
    }
    assertThat(storage.get(Namespace.RESPONSES, "a").orElseThrow()).isEqualTo(bytes("3"));
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(2);
  }

  @Test
  void aBatchThatFailsPartWayWritesNothingAndTheStorageWritesOn() throws Exception {
    Path file = dir.resolve("cache.sqlite");
    storage.put(Namespace.RESPONSES, "before", bytes("0"), null);
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = other.createStatement()) {
      s.execute(
          "CREATE TRIGGER refuse BEFORE INSERT ON responses WHEN NEW.key = 'bad'"
              + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    }

    assertThatThrownBy(
            () ->
                storage.putAll(
                    Namespace.RESPONSES,
                    List.of(
                        new Storage.Entry("a", bytes("1"), null),
                        new Storage.Entry("bad", bytes("2"), null),
                        new Storage.Entry("c", bytes("3"), null))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("refused by the test");

    assertThat(storage.get(Namespace.RESPONSES, "a")).isEmpty();
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
    storage.putAll(Namespace.RESPONSES, List.of(new Storage.Entry("a", bytes("1"), null)));
    assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrder("before", "a");
  }

  @Test
  void valuesOutliveTheStorageThatWroteThem() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("kept"), LATER);
    storage.put(Namespace.REDIRECTS, "a", bytes("k"), null);
    storage.close();
    try (Storage reopened = open()) {
      assertThat(reopened.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("kept"));
      assertThat(reopened.get(Namespace.REDIRECTS, "a").orElseThrow()).isEqualTo(bytes("k"));
    }
  }

  @Test
  void theDatabaseIsInWalModeWithAnIndexOnExpiry() throws Exception {
    Path file = dir.resolve("cache.sqlite");
    assertThat(pragma(file, "journal_mode")).isEqualTo("wal");
    assertThat(pragma(file, "user_version")).isEqualTo("3");
    assertThat(pragma(file, "index_list(responses)")).isNotEmpty();
    assertThat(
            names(
                file,
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%expires%'"))
        .containsExactlyInAnyOrder("responses_expires", "redirects_expires");
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedWithAClearError() throws IOException {
    Path file = dir.resolve("garbage.sqlite");
    Files.write(
        file,
        "this is not a database, just text that goes on for a while"
            .repeat(100)
            .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Storage.sqlite(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not an SQLite database");
    assertThat(Files.readString(file)).startsWith("this is not a database");
  }

  @Test
  void aFileOfANewerSchemaIsRefused() throws Exception {
    Path file = dir.resolve("newer.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> Storage.sqlite(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("schema version 99");
  }

  @Test
  void twoStoragesOnOneFileWriteAtOnceWithoutLockErrors() throws Exception {
    Path file = dir.resolve("cache.sqlite");
    try (Storage other = Storage.sqlite(file)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          Storage s = t % 2 == 0 ? storage : other;
          String prefix = "t" + t + "-";
          work.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 100; i++) {
                      s.put(Namespace.RESPONSES, prefix + i, bytes(prefix + i), LATER);
                      assertThat(s.get(Namespace.RESPONSES, prefix + i).orElseThrow())
                          .isEqualTo(bytes(prefix + i));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : work) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(800);
      assertThat(other.count(Namespace.RESPONSES)).isEqualTo(800);
    }
  }

  @Test
  void twoProcessesShareOneFile() throws Exception {
    Path file = dir.resolve("shared.sqlite");
    storage.close();
    Process child = SqliteWriterMain.start(dir, file.toString(), "child-", 300);
    try (Storage mine = Storage.sqlite(file)) {
      for (int i = 0; i < 300; i++) {
        mine.put(Namespace.RESPONSES, "parent-" + i, bytes("parent-" + i), null);
        mine.get(Namespace.RESPONSES, "child-" + i);
      }
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as(SqliteWriterMain.output(child)).isZero();
      assertThat(mine.count(Namespace.RESPONSES)).isEqualTo(600);
      assertThat(mine.get(Namespace.RESPONSES, "child-299").orElseThrow())
          .isEqualTo(bytes("child-299"));
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void theDefaultFileIsInTheWorkingDirectory() throws Exception {
    Process child = SqliteWriterMain.start(dir, "default", "k-", 1);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(SqliteWriterMain.output(child)).isZero();
    try (Storage written = Storage.sqlite(dir.resolve(Storage.DEFAULT_SQLITE_FILE))) {
      assertThat(written.get(Namespace.RESPONSES, "k-0")).isPresent();
    }
  }

  @Test
  void aVersionOneFileIsUpgradedInPlaceWithItsTotals() throws Exception {
    Path file = dir.resolve("v1.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      for (String table : List.of("responses", "redirects")) {
        s.execute(
            "CREATE TABLE "
                + table
                + " (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires INTEGER)");
        s.execute("CREATE INDEX " + table + "_expires ON " + table + " (expires)");
      }
      s.execute("INSERT INTO responses VALUES ('a', x'0102030405', NULL), ('b', x'01', 1000)");
      s.execute("INSERT INTO redirects VALUES ('x', CAST('a' AS BLOB), NULL)");
      s.execute("PRAGMA user_version = 1");
    }
    try (Storage upgraded = Storage.sqlite(file)) {
      assertThat(upgraded.count(Namespace.RESPONSES)).isEqualTo(2);
      assertThat(upgraded.bytes(Namespace.RESPONSES)).isEqualTo(6);
      assertThat(upgraded.count(Namespace.REDIRECTS)).isEqualTo(1);
      assertThat(upgraded.get(Namespace.RESPONSES, "a").orElseThrow()).hasSize(5);
      assertThat(scanAllOf(upgraded))
          .containsExactlyInAnyOrder(
              new Storage.Item("a", 5, null),
              new Storage.Item("b", 1, java.time.Instant.ofEpochMilli(1000)));
      upgraded.put(Namespace.RESPONSES, "c", new byte[10], null);
      assertThat(upgraded.bytes(Namespace.RESPONSES)).isEqualTo(16);
    }
    assertThat(pragma(file, "user_version")).isEqualTo("3");
  }

  /** Writes a file as version 2 wrote it: tables keyed by their text key, indexes, triggers. */
  private static void writeVersionTwo(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE totals (name TEXT PRIMARY KEY, entries INTEGER NOT NULL,"
              + " bytes INTEGER NOT NULL)");
      for (String table : List.of("responses", "redirects")) {
        s.execute(
            "CREATE TABLE "
                + table
                + " (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires INTEGER,"
                + " size INTEGER NOT NULL DEFAULT 0, used INTEGER NOT NULL DEFAULT 0)");
        s.execute("CREATE INDEX " + table + "_expires ON " + table + " (expires)");
        s.execute("CREATE INDEX " + table + "_used ON " + table + " (used)");
        s.execute("INSERT INTO totals VALUES ('" + table + "', 0, 0)");
        s.execute(
            "CREATE TRIGGER "
                + table
                + "_added AFTER INSERT ON "
                + table
                + " BEGIN UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size"
                + " WHERE name = '"
                + table
                + "'; END");
        s.execute(
            "CREATE TRIGGER "
                + table
                + "_removed AFTER DELETE ON "
                + table
                + " BEGIN UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size"
                + " WHERE name = '"
                + table
                + "'; END");
      }
      s.execute(
          "INSERT INTO responses VALUES ('old', x'010203', 1000, 3, 5), ('new', x'01', NULL, 1,"
              + " 9)");
      s.execute("INSERT INTO redirects VALUES ('x', CAST('new' AS BLOB), NULL, 3, 7)");
      s.execute("PRAGMA user_version = 2");
    }
  }

  @Test
  void aVersionTwoFileIsUpgradedInPlaceKeepingSizesUseTimesAndExpiry() throws Exception {
    Path file = dir.resolve("v2.sqlite");
    writeVersionTwo(file);
    try (Storage upgraded = Storage.sqlite(file)) {
      assertThat(upgraded.count(Namespace.RESPONSES)).isEqualTo(2);
      assertThat(upgraded.bytes(Namespace.RESPONSES)).isEqualTo(4);
      assertThat(upgraded.get(Namespace.RESPONSES, "old").orElseThrow()).containsExactly(1, 2, 3);
      assertThat(upgraded.get(Namespace.REDIRECTS, "x").orElseThrow()).isEqualTo(bytes("new"));
      assertThat(scanAllOf(upgraded))
          .containsExactlyInAnyOrder(
              new Storage.Item("old", 3, java.time.Instant.ofEpochMilli(1000)),
              new Storage.Item("new", 1, null));
      // The use times came along: "old" (used at 5) goes before "new" (used at 9).
      assertThat(upgraded.trim(1, Long.MAX_VALUE)).containsExactly("old");
      upgraded.put(Namespace.RESPONSES, "c", new byte[10], null);
      assertThat(upgraded.count(Namespace.RESPONSES)).isEqualTo(2);
      assertThat(upgraded.bytes(Namespace.RESPONSES)).isEqualTo(11);
    }
    assertThat(pragma(file, "user_version")).isEqualTo("3");
    assertThat(names(file, "SELECT name FROM sqlite_master WHERE type = 'table'"))
        .containsExactlyInAnyOrder("totals", "responses", "redirects");
  }

  /** Returns the column {@code name} of every row that {@code query} reads from the file. */
  private static List<String> names(Path file, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString("name"));
      }
      return names;
    }
  }

  @Test
  void aHitSearchesTheTableByItsRowIdWithNoIndexOnTheKey() throws Exception {
    Path file = dir.resolve("cache.sqlite");
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id, key FROM responses")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(SqliteStorage.id("k"));
        assertThat(rs.getString(2)).isEqualTo("k");
      }
    }
    // No automatic index on the key: the id is the table's own key.
    assertThat(names(file, "PRAGMA index_list(responses)"))
        .containsExactlyInAnyOrder("responses_expires", "responses_used");
  }

  @Test
  void theRowIdOfAKeyNeverChangesSinceFilesKeepIt() {
    // Pinned (computed apart, from the definition): another function would make every row of an
    // existing file unreachable.
    assertThat(SqliteStorage.id("")).isEqualTo(0xefd01f60ba992926L);
    assertThat(SqliteStorage.id("k")).isEqualTo(0x2ba437a975bf0065L);
    String key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    String other = key.substring(0, 63) + "e";
    assertThat(SqliteStorage.id(key)).isNotEqualTo(SqliteStorage.id(other));
    assertThat(SqliteStorage.id("user-1")).isNotEqualTo(SqliteStorage.id("user-2"));
  }

  @Test
  void twoKeysOfOneRowIdNeverReadEachOtherAndTheLaterWriteEvictsTheEarlier() throws Exception {
    try (SqliteStorage colliding =
        SqliteStorage.open(dir.resolve("colliding.sqlite"), 0, key -> 7L)) {
      colliding.put(Namespace.RESPONSES, "a", bytes("for a"), null);
      assertThat(colliding.get(Namespace.RESPONSES, "b")).isEmpty();
      assertThat(colliding.remove(Namespace.RESPONSES, "b")).isFalse();
      assertThat(colliding.get(Namespace.RESPONSES, "a").orElseThrow()).isEqualTo(bytes("for a"));

      colliding.put(Namespace.RESPONSES, "b", bytes("for b, longer"), null);
      assertThat(colliding.get(Namespace.RESPONSES, "a")).isEmpty();
      assertThat(colliding.get(Namespace.RESPONSES, "b").orElseThrow())
          .isEqualTo(bytes("for b, longer"));
      assertThat(colliding.keys(Namespace.RESPONSES)).containsExactly("b");
      assertThat(colliding.count(Namespace.RESPONSES)).isEqualTo(1);
      assertThat(colliding.bytes(Namespace.RESPONSES)).isEqualTo(13);
      assertThat(colliding.remove(Namespace.RESPONSES, "a")).isFalse();
      assertThat(colliding.remove(Namespace.RESPONSES, "b")).isTrue();
      assertThat(colliding.count(Namespace.RESPONSES)).isZero();
    }
  }

  private static List<Storage.Item> scanAllOf(Storage s) throws IOException {
    List<Storage.Item> items = new ArrayList<>();
    try (Storage.Cursor cursor = s.scan(Namespace.RESPONSES)) {
      for (var item = cursor.next(); item.isPresent(); item = cursor.next()) {
        items.add(item.get());
      }
    }
    return items;
  }

  @Test
  void totalsAreSharedByEveryStorageOnTheFile() throws IOException {
    try (Storage other = Storage.sqlite(dir.resolve("cache.sqlite"))) {
      storage.put(Namespace.RESPONSES, "a", new byte[30], null);
      other.put(Namespace.RESPONSES, "b", new byte[20], null);
      other.remove(Namespace.RESPONSES, "a");
      assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
      assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(20);
    }
  }

  @Test
  void readsRecordedInMemoryReachTheFileWhenTheStorageCloses() throws IOException {
    Path file = dir.resolve("cache.sqlite");
    storage.trim(Long.MAX_VALUE, Long.MAX_VALUE); // starts tracking use
    storage.put(Namespace.RESPONSES, "old", new byte[1], null);
    pause();
    storage.put(Namespace.RESPONSES, "new", new byte[1], null);
    pause();
    storage.get(Namespace.RESPONSES, "old");
    storage.close();
    try (Storage reopened = Storage.sqlite(file)) {
      // "old" was read last, so the other process sees "new" as the least recently used.
      assertThat(reopened.trim(1, Long.MAX_VALUE)).containsExactly("new");
    }
  }

  @Test
  void clearOfManyRowsKeepsTheTotalsRight() throws IOException {
    for (int i = 0; i < 3_000; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[3], null);
    }
    storage.clear();
    storage.put(Namespace.RESPONSES, "again", new byte[4], null);
    storage.remove(Namespace.RESPONSES, "again");
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    assertThat(storage.bytes(Namespace.RESPONSES)).isZero();
  }
}
