package dev.httpcache.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

final class MemoryStorageTest extends StorageContract {
  @Override
  protected Storage open() {
    return Storage.inMemory();
  }

  @Test
  void hexKeysOfEveryShapeReadBackAsWritten() throws Exception {
    try (Storage storage = open()) {
      String hex = "0123456789abcdef".repeat(4);
      String edge = "8000000000000001".repeat(4);
      String upper = hex.toUpperCase(java.util.Locale.ROOT);
      List<String> keys =
          new java.util.ArrayList<>(List.of(hex, edge, upper, hex.substring(1) + "g"));
      keys.add("f".repeat(64));
      keys.add("0".repeat(64));
      keys.add(hex.substring(1));
      keys.add(hex + "0");
      // One character that is not a lower-case hex digit, in each quarter of the key.
      for (int at : new int[] {0, 15, 16, 31, 32, 47, 48, 63}) {
        for (char odd : new char[] {'G', 'A', '/', ':', '`', 'g', '\u0660', '\u0130', '\uff10'}) {
          keys.add(hex.substring(0, at) + odd + hex.substring(at + 1));
        }
      }
      for (String key : keys) {
        storage.put(
            Namespace.RESPONSES, key, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
      }
      assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrderElementsOf(keys);
      for (String key : keys) {
        assertThat(storage.get(Namespace.RESPONSES, key))
            .as(key)
            .hasValueSatisfying(
                v ->
                    assertThat(new String(v, java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(key));
      }
      assertThat(storage.get(Namespace.RESPONSES, edge))
          .hasValueSatisfying(
              v ->
                  assertThat(new String(v, java.nio.charset.StandardCharsets.UTF_8))
                      .isEqualTo(edge));
      assertThat(storage.get(Namespace.RESPONSES, upper))
          .hasValueSatisfying(
              v ->
                  assertThat(new String(v, java.nio.charset.StandardCharsets.UTF_8))
                      .isEqualTo(upper));
    }
  }

  @Test
  void racingReplacementsOfOneKeyKeepOneValueAndExactTotals() throws Exception {
    try (Storage storage = open()) {
      String key = "ab".repeat(32);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int size = 100 * (t + 1);
          writers.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 20_000; i++) {
                      storage.put(Namespace.RESPONSES, key, new byte[size], null);
                      storage.get(Namespace.RESPONSES, key);
                    }
                    return null;
                  }));
        }
        for (Future<?> writer : writers) {
          writer.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
      byte[] last = storage.get(Namespace.RESPONSES, key).orElseThrow();
      assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(last.length);
      assertThat(storage.remove(Namespace.RESPONSES, key)).isTrue();
      assertThat(storage.bytes(Namespace.RESPONSES)).isZero();
    }
  }
}
