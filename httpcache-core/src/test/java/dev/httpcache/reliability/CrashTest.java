package dev.httpcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process writing entries is killed with SIGKILL ({@code Process.destroyForcibly()} on Linux) at
 * a random moment, again and again on the same file or directory: each time the storage opens
 * again, SQLite's integrity check passes, the counts agree with the entries, and every entry is
 * either whole (its checksum matches) or absent: none is partial. The moment is a random number of
 * completed writes (0 to 300) after the child is ready; values of up to 250 KB make the kill land
 * in the middle of a write often. 3 kills per storage by default, 20 in the long run.
 */
final class CrashTest {
  private static final int KEYS = 100;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "filesystem"})
  void aProcessKilledWhileWritingLeavesNoPartialEntry(String kind) throws Exception {
    long seed = Reliability.seed("CrashTest " + kind);
    Random random = new Random(seed);
    int kills = Reliability.scale(3, 20);
    Path location = kind.equals("sqlite") ? dir.resolve("crash.sqlite") : dir.resolve("crash");
    long entriesSeen = 0;
    long leftovers = 0;
    for (int kill = 1; kill <= kills; kill++) {
      int target = random.nextInt(301);
      String replay =
          kind + " kill " + kill + " after " + target + " writes; " + Reliability.replay();
      Process child =
          Children.start(
              CrashWriterMain.class,
              128,
              null,
              kind,
              location.toString(),
              String.valueOf(KEYS),
              String.valueOf(random.nextLong()));
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        StringBuilder seen = new StringBuilder();
        String line = lines.readLine();
        // Wait for "ready", then for the chosen number of writes.
        int written = -1;
        while (line != null && written < target) {
          if (line.equals("ready")) {
            written = 0;
          } else if (line.startsWith("w ")) {
            written = Integer.parseInt(line.substring(2));
          } else {
            seen.append(line).append('\n');
          }
          if (written < target) {
            line = lines.readLine();
          }
        }
        assertThat(line).as("the child ended by itself: " + seen + replay).isNotNull();
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      } finally {
        child.destroyForcibly();
      }

      try (Storage storage = SharedStorageMain.open(kind, location)) {
        List<String> keys = storage.keys(Namespace.RESPONSES);
        long bytes = 0;
        for (String key : keys) {
          Optional<byte[]> value = storage.get(Namespace.RESPONSES, key);
          assertThat(value).as(key + "; " + replay).isPresent();
          assertThat(Checked.problem(key, value.get())).as(key + "; " + replay).isNull();
          bytes += value.get().length;
        }
        entriesSeen += keys.size();
        assertThat(storage.count(Namespace.RESPONSES)).as(replay).isEqualTo(keys.size());
        assertThat(storage.bytes(Namespace.RESPONSES)).as(replay).isEqualTo(bytes);
      }
      if (kind.equals("sqlite")) {
        assertThat(MultiProcessTest.integrityCheck(location)).as(replay).isEqualTo("ok");
      } else {
        // Temporary files of writes that a kill cut short stay until a trim sweeps them (after
        // 15 minutes); they are never read as entries.
        try (Stream<Path> files = Files.walk(location)) {
          leftovers = files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).count();
        }
      }
    }
    System.out.printf(
        "[reliability] %d kills on %s: every reopen checked, %d entries read whole, none partial,"
            + " %d temporary files of writes cut short left in the directory%s%n",
        kills,
        kind,
        entriesSeen,
        leftovers,
        kind.equals("sqlite") ? ", PRAGMA integrity_check ok each time" : "");
  }
}
