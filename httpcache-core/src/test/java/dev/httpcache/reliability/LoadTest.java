package dev.httpcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Load on each storage of core (memory, an SQLite file, a directory): 16 threads send a mix of
 * hits, misses, revalidations and unsafe requests through CachedHttpClient (see {@link LoadRun} for
 * the mix and for what a correct answer is). No error, no wrong body, no storage fault, a bounded
 * heap; then no secret that the requests carried is anywhere in what the storage holds. The default
 * run sends 3 000 requests over 300 resources per storage; the long one 40 000 over 1 000. SQLite
 * and the directory are loaded twice: written before each request returns, and written behind.
 */
final class LoadTest {
  @TempDir Path dir;

  static Storage open(String kind, Path dir) throws IOException {
    return switch (kind.replace("-wb", "")) {
      case "memory" -> Storage.inMemory();
      case "sqlite" -> Storage.sqlite(dir.resolve("load.sqlite"));
      default -> Storage.filesystem(dir.resolve("load-cache"));
    };
  }

  /**
   * The sizes of a load run: 16 threads, and in the long variant 40 000 requests; a storage whose
   * name ends in {@code -wb} is written behind ({@code writeBehind(true)}).
   */
  static LoadRun.Settings settings(String kind, long seed) {
    return new LoadRun.Settings(
        16,
        Reliability.scale(3_000, 40_000),
        Reliability.scale(300, 1_000),
        seed,
        kind.endsWith("-wb"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite", "filesystem", "sqlite-wb", "filesystem-wb"})
  void sixteenThreadsGetOnlyRightBodiesAndLeaveNoSecretBehind(String kind) throws Exception {
    long seed = Reliability.seed("LoadTest " + kind);
    try (Storage storage = open(kind, dir)) {
      LoadRun.Report report = LoadRun.run(storage, settings(kind, seed));
      System.out.println("[reliability] load " + kind + ": " + report.summary());
      String replay = kind + ": " + Reliability.replay() + "; " + report.summary();
      assertThat(report.problems()).as(replay).isEmpty();
      assertThat(report.wrong()).as(replay).isZero();
      assertThat(report.errors()).as(replay).isZero();
      assertThat(report.faults()).as(replay).isZero();
      // Every kind of answer happened.
      assertThat(report.hits()).as(replay).isPositive();
      assertThat(report.revalidated()).as(replay).isPositive();
      assertThat(report.network()).as(replay).isPositive();
      assertThat(report.unsafe()).as(replay).isPositive();
      assertThat(report.originNotModified()).as(replay).isPositive();

      // Bounded heap: what the run left on the heap is the memory storage's values, not more than
      // a generous margin besides.
      long kept = kind.equals("memory") ? 2 * storage.bytes(Storage.Namespace.RESPONSES) : 0;
      assertThat(report.heapAfter() - report.heapBefore())
          .as(replay)
          .isLessThan(64L * 1024 * 1024 + kept);

      assertThat(report.secrets()).as("secrets sent").hasSizeGreaterThan(10);
      assertThat(LeakScan.findInValues(storage, report.secrets())).as(replay).isEmpty();
      if (!kind.equals("memory")) {
        assertThat(LeakScan.findInFiles(dir, report.secrets())).as(replay).isEmpty();
      }
    }
  }
}
