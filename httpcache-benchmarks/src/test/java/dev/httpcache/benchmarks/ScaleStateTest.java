package dev.httpcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the scale benchmark's state on a small cache, as JMH does: it fills the storage with
 * distinct entries, every pooled request is a hit that leaves the origin alone, and a filled SQLite
 * file is reused by the next trial. No timing here.
 */
final class ScaleStateTest {
  @TempDir Path dir;

  @BeforeEach
  void useTheTemporaryFolder() {
    System.setProperty(ScaleState.DIR_PROPERTY, dir.toString());
  }

  @AfterEach
  void forgetIt() {
    System.clearProperty(ScaleState.DIR_PROPERTY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "sqlite-mmap", "memory"})
  void fillsDistinctEntriesAndHitsRandomOnesWithoutTheOrigin(String storage) throws Exception {
    ScaleState state = new ScaleState();
    state.storage = storage;
    state.entries = 300;
    state.setUp();
    try {
      assertThat(state.fillSeconds()).isNotNegative();
      int before = state.origin().requests();
      for (int i = 0; i < 500; i++) {
        assertThat(state.hit()).isEqualTo(state.origin().body());
      }
      assertThat(state.origin().requests()).isEqualTo(before);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void aFilledSqliteFileIsReusedByTheNextTrial() throws Exception {
    ScaleState first = new ScaleState();
    first.entries = 200;
    first.setUp();
    first.tearDown();
    assertThat(Files.readString(dir.resolve("sqlite-200").resolve("filled")))
        .contains("entries=200");

    ScaleState second = new ScaleState();
    second.entries = 200;
    second.setUp();
    try {
      assertThat(second.fillSeconds()).isEqualTo(-1);
      // Nothing was fetched: the file already held every entry.
      assertThat(second.origin().requests()).isZero();
      assertThat(second.hit()).isEqualTo(second.origin().body());
    } finally {
      second.tearDown();
    }
  }

  @Test
  void theFramePrefixIsTheOneTheEngineWrites() {
    byte[] stored = {'h', 'c', 'f', 1, 3, 'a', 'b', 'c', 42};
    assertThat(ScaleState.framePrefix("abc", stored)).hasSize(8);
  }
}
