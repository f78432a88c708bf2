package dev.httpcache.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every storage owes the engine; each implementation's test extends this. */
abstract class StorageContract {
  static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");
  static final Instant PAST = Instant.parse("2001-01-01T00:00:00Z");

  Storage storage;

  /** Opens a new, empty storage. */
  abstract Storage open() throws IOException;

  @BeforeEach
  void openStorage() throws IOException {
    storage = open();
  }

  @AfterEach
  void closeStorage() throws IOException {
    storage.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void aMissingKeyIsEmpty() throws IOException {
    assertThat(storage.get(Namespace.RESPONSES, "nothing")).isEmpty();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    assertThat(storage.keys(Namespace.RESPONSES)).isEmpty();
  }

  @Test
  void aValueIsReadBackAsWritten() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("value"), LATER);
    assertThat(storage.get(Namespace.RESPONSES, "k"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("value")));
  }

  @Test
  void emptyAndLargeValuesRoundTrip() throws IOException {
    byte[] large = new byte[4 * 1024 * 1024];
    new Random(7).nextBytes(large);
    storage.put(Namespace.RESPONSES, "empty", new byte[0], null);
    storage.put(Namespace.RESPONSES, "large", large, null);
    assertThat(storage.get(Namespace.RESPONSES, "empty").orElseThrow()).isEmpty();
    assertThat(storage.get(Namespace.RESPONSES, "large").orElseThrow()).isEqualTo(large);
  }

  @Test
  void aPutReplacesThePreviousValue() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("one"), LATER);
    storage.put(Namespace.RESPONSES, "k", bytes("two"), null);
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("two"));
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
  }

  @Test
  void anExpiredValueIsStillReturned() throws IOException {
    storage.put(Namespace.RESPONSES, "stale", bytes("old"), PAST);
    assertThat(storage.get(Namespace.RESPONSES, "stale").orElseThrow()).isEqualTo(bytes("old"));
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
  }

  @Test
  void extremeExpiryTimesAreAccepted() throws IOException {
    storage.put(Namespace.RESPONSES, "max", bytes("a"), Instant.MAX);
    storage.put(Namespace.RESPONSES, "min", bytes("b"), Instant.MIN);
    assertThat(storage.get(Namespace.RESPONSES, "max").orElseThrow()).isEqualTo(bytes("a"));
    assertThat(storage.get(Namespace.RESPONSES, "min").orElseThrow()).isEqualTo(bytes("b"));
  }

  @Test
  void theNamespacesAreSeparate() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("response"), null);
    storage.put(Namespace.REDIRECTS, "k", bytes("alias"), null);
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("response"));
    assertThat(storage.get(Namespace.REDIRECTS, "k").orElseThrow()).isEqualTo(bytes("alias"));
    assertThat(storage.remove(Namespace.REDIRECTS, "k")).isTrue();
    assertThat(storage.get(Namespace.RESPONSES, "k")).isPresent();
    assertThat(storage.get(Namespace.REDIRECTS, "k")).isEmpty();
  }

  @Test
  void removeSaysWhetherThereWasAValue() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    assertThat(storage.remove(Namespace.RESPONSES, "k")).isTrue();
    assertThat(storage.remove(Namespace.RESPONSES, "k")).isFalse();
    assertThat(storage.get(Namespace.RESPONSES, "k")).isEmpty();
  }

  @Test
  void keysAndCountListEveryValueOfTheNamespace() throws IOException {
    for (int i = 0; i < 50; i++) {
      storage.put(Namespace.RESPONSES, "r" + i, bytes("v" + i), i % 2 == 0 ? PAST : null);
    }
    storage.put(Namespace.REDIRECTS, "a", bytes("r1"), null);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(50);
    assertThat(storage.count(Namespace.REDIRECTS)).isEqualTo(1);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("r" + i);
    }
    assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(storage.keys(Namespace.REDIRECTS)).containsExactly("a");
  }

  @Test
  void clearEmptiesBothNamespaces() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    storage.put(Namespace.REDIRECTS, "a", bytes("k"), null);
    storage.clear();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    assertThat(storage.count(Namespace.REDIRECTS)).isZero();
    storage.put(Namespace.RESPONSES, "k", bytes("again"), null);
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("again"));
  }

  @Test
  void callersCannotChangeWhatIsStored() throws IOException {
    byte[] value = bytes("original");
    storage.put(Namespace.RESPONSES, "k", value, null);
    value[0] = 'X';
    storage.get(Namespace.RESPONSES, "k").orElseThrow()[1] = 'Y';
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("original"));
  }

  @Test
  void keysKeepEveryCharacter() throws IOException {
    String key = "ключ/with spaces?&=end";
    storage.put(Namespace.RESPONSES, key, bytes("v"), null);
    assertThat(storage.get(Namespace.RESPONSES, key)).isPresent();
    assertThat(storage.keys(Namespace.RESPONSES)).containsExactly(key);
  }

  @Test
  void aClosedStorageRefusesWorkAndClosesTwiceQuietly() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    storage.close();
    storage.close();
    assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, "k", bytes("v"), null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void manyThreadsReadAndWriteWithoutErrorsOrTornValues() throws Exception {
    int threads = 16;
    int rounds = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Integer> work =
            () -> {
              int checked = 0;
              for (int i = 0; i < rounds; i++) {
                String key = "k" + (i % 20);
                // Every value is its key repeated, so a torn or crossed value shows.
                byte[] value = bytes((key + ":" + thread + ";").repeat(1 + i % 50));
                storage.put(Namespace.RESPONSES, key, value, i % 3 == 0 ? null : LATER);
                Optional<byte[]> read = storage.get(Namespace.RESPONSES, key);
                if (read.isEmpty()) {
                  continue; // another thread removed it in between
                }
                String text = new String(read.get(), UTF_8);
                String unit = text.substring(0, text.indexOf(';') + 1);
                assertThat(unit).startsWith(key + ":");
                assertThat(text).isEqualTo(unit.repeat(text.length() / unit.length()));
                checked++;
                if (i % 10 == 0) {
                  storage.remove(Namespace.RESPONSES, "k" + ((i + thread) % 20));
                  storage.count(Namespace.RESPONSES);
                }
              }
              return checked;
            };
        results.add(pool.submit(work));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isPositive();
      assertThat(storage.count(Namespace.RESPONSES)).isBetween(0L, 20L);
      assertThat(storage.keys(Namespace.RESPONSES)).allMatch(k -> k.matches("k\\d+"));
    } finally {
      pool.shutdownNow();
    }
  }
}
