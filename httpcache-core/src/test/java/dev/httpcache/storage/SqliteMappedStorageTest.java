package dev.httpcache.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite storage read through a memory map: the whole contract, and the map itself. */
final class SqliteMappedStorageTest extends StorageContract {
  private static final long MAPPED = 64L * 1024 * 1024;

  @TempDir Path dir;

  @Override
  protected Storage open() throws IOException {
    return Storage.sqlite(dir.resolve("cache.sqlite"), MAPPED);
  }

  @Test
  void everyConnectionMapsTheSizeAskedForAndTheDefaultMapsNothing() throws IOException {
    try (SqliteStorage mapped = (SqliteStorage) Storage.sqlite(dir.resolve("m.sqlite"), MAPPED);
        SqliteStorage plain = (SqliteStorage) Storage.sqlite(dir.resolve("p.sqlite"))) {
      mapped.put(
          Namespace.RESPONSES, "k", new byte[] {1, 2, 3}, Instant.parse("2030-01-01T00:00:00Z"));

      assertThat(mapped.mappedBytes()).isEqualTo(MAPPED);
      assertThat(plain.mappedBytes()).isZero();
      assertThat(mapped.get(Namespace.RESPONSES, "k"))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
    }
  }

  @Test
  void aNegativeSizeIsRefused() {
    assertThatThrownBy(() -> Storage.sqlite(dir.resolve("n.sqlite"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mmapBytes");
  }

  @Test
  void aFileWrittenWithoutTheMapIsReadThroughIt() throws IOException {
    Path file = dir.resolve("shared.sqlite");
    try (Storage writer = Storage.sqlite(file)) {
      writer.put(Namespace.RESPONSES, "k", new byte[] {9}, null);
    }
    try (Storage reader = Storage.sqlite(file, MAPPED)) {
      assertThat(reader.get(Namespace.RESPONSES, "k"))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(9));
      assertThat(reader.count(Namespace.RESPONSES)).isEqualTo(1);
    }
  }
}
