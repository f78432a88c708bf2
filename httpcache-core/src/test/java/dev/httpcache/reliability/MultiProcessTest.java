package dev.httpcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four JVMs share one SQLite file, or one directory, and read and write 200 overlapping keys at
 * once, with values that check themselves ({@link SharedStorageMain}): no error of the storage
 * surfaces in any process (no "database is locked", no failed rename), no value read is torn or
 * another key's, and afterwards every value left checks, the counts agree with the entries, and
 * SQLite's integrity check passes. 1 000 operations per process by default, 20 000 in the long run.
 */
final class MultiProcessTest {
  private static final int PROCESSES = 4;
  private static final int KEYS = 200;
  private static final Pattern SUMMARY =
      Pattern.compile(
          "writer=(\\S+) gets=(\\d+) found=(\\d+) puts=(\\d+) removes=(\\d+) passes=(\\d+)"
              + " ioErrors=(\\d+) otherErrors=(\\d+) torn=(\\d+)");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "filesystem"})
  void fourProcessesShareOneStorageWithoutErrorsOrTornValues(String kind) throws Exception {
    long seed = Reliability.seed("MultiProcessTest " + kind);
    int operations = Reliability.scale(1_000, 20_000);
    Path location = kind.equals("sqlite") ? dir.resolve("shared.sqlite") : dir.resolve("shared");
    try (Storage storage = SharedStorageMain.open(kind, location)) {
      storage.count(Namespace.RESPONSES); // created before the children race to create it
    }
    List<Process> children = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        Path log = dir.resolve("child-" + i + ".log");
        logs.add(log);
        children.add(
            Children.start(
                SharedStorageMain.class,
                96,
                log,
                kind,
                location.toString(),
                "p" + i,
                String.valueOf(operations),
                String.valueOf(KEYS),
                String.valueOf(seed + i)));
      }
      long totals[] = new long[9];
      for (int i = 0; i < PROCESSES; i++) {
        assertThat(children.get(i).waitFor(10, TimeUnit.MINUTES)).as("child %d ended", i).isTrue();
        String output = Files.readString(logs.get(i), StandardCharsets.UTF_8);
        String replay = kind + " child " + i + ": " + Reliability.replay() + "\n" + output;
        assertThat(children.get(i).exitValue()).as(replay).isZero();
        Matcher m = SUMMARY.matcher(output);
        assertThat(m.find()).as(replay).isTrue();
        assertThat(m.group(7)).as("I/O errors; " + replay).isEqualTo("0");
        assertThat(m.group(8)).as("other errors; " + replay).isEqualTo("0");
        assertThat(m.group(9)).as("torn or crossed values; " + replay).isEqualTo("0");
        for (int g = 2; g <= 9; g++) {
          totals[g - 1] += Long.parseLong(m.group(g));
        }
      }
      System.out.printf(
          "[reliability] %d processes on one %s: gets=%d (found %d) puts=%d removes=%d"
              + " scans/counts/purges/trims=%d ioErrors=%d otherErrors=%d torn=%d%n",
          PROCESSES, kind, totals[1], totals[2], totals[3], totals[4], totals[5], totals[6],
          totals[7], totals[8]);
      assertThat(totals[2]).as("values found by reads").isPositive();
    } finally {
      for (Process child : children) {
        child.destroyForcibly();
      }
    }

    try (Storage storage = SharedStorageMain.open(kind, location)) {
      List<String> keys = storage.keys(Namespace.RESPONSES);
      long bytes = 0;
      for (String key : keys) {
        Optional<byte[]> value = storage.get(Namespace.RESPONSES, key);
        assertThat(value).as(key).isPresent();
        assertThat(Checked.problem(key, value.get()))
            .as(key + "; " + Reliability.replay())
            .isNull();
        bytes += value.get().length;
      }
      assertThat(keys).isNotEmpty();
      assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(keys.size());
      assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(bytes);
    }
    if (kind.equals("sqlite")) {
      assertThat(integrityCheck(location)).isEqualTo("ok");
    }
  }

  /** Runs SQLite's {@code PRAGMA integrity_check} on a file and returns its first line. */
  static String integrityCheck(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      StringBuilder result = new StringBuilder();
      while (rs.next()) {
        if (result.length() > 0) {
          result.append('\n');
        }
        result.append(rs.getString(1));
      }
      return result.toString();
    }
  }
}
