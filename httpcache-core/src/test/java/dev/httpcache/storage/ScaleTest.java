package dev.httpcache.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many entries in a small heap: a child JVM with a 32 MiB heap fills an SQLite file with more data
 * than that heap holds and counts, scans, evicts and purges it. The default run uses 50 000 entries
 * (12.5 MiB of values, over a third of the heap); {@code -Dhttpcache.scale.entries=1000000} runs
 * the million of docs/storages.md. No timing is asserted; the figures are printed.
 */
final class ScaleTest {
  @TempDir Path dir;

  @Test
  void everyOperationOnManyEntriesRunsInASmallHeap() throws Exception {
    int entries = Integer.getInteger("httpcache.scale.entries", 50_000);
    Process child = ScaleMain.start("sqlite", dir.resolve("scale.sqlite"), entries, 32);
    try {
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
      System.out.print(output);
      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output)
          .containsPattern("count +[0-9.]+ ms  " + entries + "\\n")
          .containsPattern("scan +[0-9.]+ ms  " + entries + "\\n")
          .containsPattern(
              "trim to 90% +[0-9.]+ ms  " + (entries / 10 + (entries - entries / 10) / 100) + "\\n")
          .containsPattern("put\\+trim, nothing to evict +[0-9.]+ ms  0\\n");
    } finally {
      child.destroyForcibly();
    }
  }
}
