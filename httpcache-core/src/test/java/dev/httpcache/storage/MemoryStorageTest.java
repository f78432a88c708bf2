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

  /** The value of eight characters if they are all lower-case hex digits, else -1. */
  private static long expectedEight(byte[] ascii) {
    for (byte ch : ascii) {
      if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
        return -1;
      }
    }
    return Long.parseLong(new String(ascii, java.nio.charset.StandardCharsets.ISO_8859_1), 16);
  }

  @Test
  void eightHexDigitsAreReadAtOnceAsOneByOne() {
    // Every byte in every position of eight otherwise valid digits.
    for (int at = 0; at < 8; at++) {
      for (int ch = 0; ch < 256; ch++) {
        byte[] ascii = "0123abcd".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ascii[at] = (byte) ch;
        assertThat(MemoryStorage.eight(ascii, 0))
            .as("%d at %d", ch, at)
            .isEqualTo(expectedEight(ascii));
      }
    }
    // Random mixtures of digits and other bytes, read at every offset of a longer array.
    java.util.Random random = new java.util.Random(9);
    byte[] digits =
        "0123456789abcdefABCDEFgG/:`@\u007f".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    for (int round = 0; round < 200_000; round++) {
      byte[] ascii = new byte[16];
      for (int i = 0; i < ascii.length; i++) {
        ascii[i] =
            random.nextInt(40) == 0 ? (byte) random.nextInt(256) : digits[random.nextInt(16)];
        if (random.nextInt(200) == 0) {
          ascii[i] = digits[16 + random.nextInt(digits.length - 16)];
        }
      }
      int at = random.nextInt(9);
      assertThat(MemoryStorage.eight(ascii, at))
          .isEqualTo(expectedEight(java.util.Arrays.copyOfRange(ascii, at, at + 8)));
    }
  }

  /** Stores each key's own text (UTF-8) under it. */
  private static void putEachUnderItself(Storage storage, List<String> keys) throws Exception {
    for (String key : keys) {
      storage.put(
          Namespace.RESPONSES, key, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }
  }

  /** Checks that each key reads back its own text. */
  private static void assertEachReadsBack(Storage storage, List<String> keys) throws Exception {
    for (String key : keys) {
      assertThat(storage.get(Namespace.RESPONSES, key))
          .as(key)
          .hasValueSatisfying(
              v ->
                  assertThat(new String(v, java.nio.charset.StandardCharsets.UTF_8))
                      .isEqualTo(key));
    }
  }

  @Test
  void aKeyWithAnyOtherCharacterAnywhereReadsBackAsWritten() throws Exception {
    try (Storage storage = open()) {
      String hex = "0123456789abcdef".repeat(4);
      storage.put(Namespace.RESPONSES, hex, new byte[] {1}, null);
      List<String> keys = new java.util.ArrayList<>();
      for (int at = 0; at < 64; at++) {
        for (int ch = 0; ch < 300; ch += ch < 256 ? 1 : 11) {
          if ((char) ch != hex.charAt(at)) {
            keys.add(hex.substring(0, at) + (char) ch + hex.substring(at + 1));
          }
        }
      }
      putEachUnderItself(storage, keys);
      assertThat(storage.keys(Namespace.RESPONSES))
          .hasSize(keys.size() + 1)
          .containsAll(keys)
          .contains(hex);
      assertEachReadsBack(storage, keys);
      assertThat(storage.get(Namespace.RESPONSES, hex))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(1));
    }
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
      putEachUnderItself(storage, keys);
      assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrderElementsOf(keys);
      assertEachReadsBack(storage, keys);
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
