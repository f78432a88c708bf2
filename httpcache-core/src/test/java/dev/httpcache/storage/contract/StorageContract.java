package dev.httpcache.storage.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every storage owes the engine; each implementation's test extends this, in this
 * module or another (the module's test jar carries it).
 */
public abstract class StorageContract {
  protected static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");
  protected static final Instant PAST = Instant.parse("2001-01-01T00:00:00Z");
  protected static final Instant NOW = Instant.parse("2020-06-01T00:00:00Z");

  protected Storage storage;

  /** Opens a new, empty storage. */
  protected abstract Storage open() throws IOException;

  @BeforeEach
  public void openStorage() throws IOException {
    storage = open();
  }

  @AfterEach
  public void closeStorage() throws IOException {
    storage.close();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  public void aMissingKeyIsEmpty() throws IOException {
    assertThat(storage.get(Namespace.RESPONSES, "nothing")).isEmpty();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    assertThat(storage.keys(Namespace.RESPONSES)).isEmpty();
  }

  @Test
  public void aValueIsReadBackAsWritten() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("value"), LATER);
    assertThat(storage.get(Namespace.RESPONSES, "k"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("value")));
  }

  @Test
  public void emptyAndLargeValuesRoundTrip() throws IOException {
    byte[] large = new byte[4 * 1024 * 1024];
    new Random(7).nextBytes(large);
    storage.put(Namespace.RESPONSES, "empty", new byte[0], null);
    storage.put(Namespace.RESPONSES, "large", large, null);
    assertThat(storage.get(Namespace.RESPONSES, "empty").orElseThrow()).isEmpty();
    assertThat(storage.get(Namespace.RESPONSES, "large").orElseThrow()).isEqualTo(large);
  }

  @Test
  public void aPutReplacesThePreviousValue() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("one"), LATER);
    storage.put(Namespace.RESPONSES, "k", bytes("two"), null);
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("two"));
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
  }

  @Test
  public void anExpiredValueIsStillReturned() throws IOException {
    storage.put(Namespace.RESPONSES, "stale", bytes("old"), PAST);
    assertThat(storage.get(Namespace.RESPONSES, "stale").orElseThrow()).isEqualTo(bytes("old"));
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
  }

  @Test
  public void extremeExpiryTimesAreAccepted() throws IOException {
    storage.put(Namespace.RESPONSES, "max", bytes("a"), Instant.MAX);
    storage.put(Namespace.RESPONSES, "min", bytes("b"), Instant.MIN);
    assertThat(storage.get(Namespace.RESPONSES, "max").orElseThrow()).isEqualTo(bytes("a"));
    assertThat(storage.get(Namespace.RESPONSES, "min").orElseThrow()).isEqualTo(bytes("b"));
  }

  @Test
  public void theNamespacesAreSeparate() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("response"), null);
    storage.put(Namespace.REDIRECTS, "k", bytes("alias"), null);
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("response"));
    assertThat(storage.get(Namespace.REDIRECTS, "k").orElseThrow()).isEqualTo(bytes("alias"));
    assertThat(storage.remove(Namespace.REDIRECTS, "k")).isTrue();
    assertThat(storage.get(Namespace.RESPONSES, "k")).isPresent();
    assertThat(storage.get(Namespace.REDIRECTS, "k")).isEmpty();
  }

  @Test
  public void removeSaysWhetherThereWasAValue() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    assertThat(storage.remove(Namespace.RESPONSES, "k")).isTrue();
    assertThat(storage.remove(Namespace.RESPONSES, "k")).isFalse();
    assertThat(storage.get(Namespace.RESPONSES, "k")).isEmpty();
  }

  @Test
  public void keysAndCountListEveryValueOfTheNamespace() throws IOException {
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
  public void clearEmptiesBothNamespaces() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    storage.put(Namespace.REDIRECTS, "a", bytes("k"), null);
    storage.clear();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    assertThat(storage.count(Namespace.REDIRECTS)).isZero();
    storage.put(Namespace.RESPONSES, "k", bytes("again"), null);
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("again"));
  }

  @Test
  public void aCallerCannotChangeWhatItStored() throws IOException {
    byte[] value = bytes("original");
    storage.put(Namespace.RESPONSES, "k", value, null);
    value[0] = 'X';
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("original"));
  }

  @Test
  public void aPutNeverChangesAnArrayAReaderHolds() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("first"), null);
    byte[] read = storage.get(Namespace.RESPONSES, "k").orElseThrow();
    storage.put(Namespace.RESPONSES, "k", bytes("other"), null);
    storage.remove(Namespace.RESPONSES, "k");
    assertThat(read).isEqualTo(bytes("first"));
  }

  @Test
  public void keysKeepEveryCharacter() throws IOException {
    String key = "ключ/with spaces?&=end";
    storage.put(Namespace.RESPONSES, key, bytes("v"), null);
    assertThat(storage.get(Namespace.RESPONSES, key)).isPresent();
    assertThat(storage.keys(Namespace.RESPONSES)).containsExactly(key);
  }

  @Test
  public void aClosedStorageRefusesWorkAndClosesTwiceQuietly() throws IOException {
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
  public void manyThreadsReadAndWriteWithoutErrorsOrTornValues() throws Exception {
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

  /** Drains a scan of {@code namespace} into a list. */
  protected List<Item> scanAll(Namespace namespace) throws IOException {
    List<Item> items = new ArrayList<>();
    try (Storage.Cursor cursor = storage.scan(namespace)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        items.add(item.get());
      }
    }
    return items;
  }

  @Test
  public void aScanListsEveryKeyOnceWithItsSizeAndExpiry() throws IOException {
    int n = 2_345; // more than one page of every stock storage
    for (int i = 0; i < n; i++) {
      storage.put(Namespace.RESPONSES, "r" + i, new byte[i % 100], i % 2 == 0 ? LATER : null);
    }
    storage.put(Namespace.REDIRECTS, "alias", bytes("r1"), PAST);
    List<Item> items = scanAll(Namespace.RESPONSES);
    assertThat(items).hasSize(n);
    assertThat(items).extracting(Item::key).doesNotHaveDuplicates();
    for (Item item : items) {
      int i = Integer.parseInt(item.key().substring(1));
      assertThat(item.size()).as(item.key()).isEqualTo(i % 100);
      assertThat(item.expires()).as(item.key()).isEqualTo(i % 2 == 0 ? LATER : null);
    }
    assertThat(scanAll(Namespace.REDIRECTS)).containsExactly(new Item("alias", 2, PAST));
  }

  @Test
  public void aScanToleratesRemovalsWhileItRuns() throws IOException {
    for (int i = 0; i < 1_500; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, bytes("v"), null);
    }
    int seen = 0;
    try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        storage.remove(Namespace.RESPONSES, item.get().key());
        seen++;
      }
    }
    assertThat(seen).isEqualTo(1_500);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  /**
   * A pass that rewrites every value it meets, as {@code resetExpiration} does, ends and meets each
   * key. (The memory storage's pass over its live map once met a rewritten value again, at the end
   * of its hash bin: two keys of one bin took turns for ever.)
   */
  @Test
  public void aScanThatRewritesEveryValueItMeetsEndsAndMeetsEachKey() throws IOException {
    int n = 1_500;
    for (int i = 0; i < n; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, bytes("v"), null);
    }
    Map<String, Integer> seen = new HashMap<>();
    int items = 0;
    try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        String key = item.get().key();
        storage.put(Namespace.RESPONSES, key, bytes("rewritten"), LATER);
        seen.merge(key, 1, Integer::sum);
        if (++items > 3 * n) {
          break; // a pass that does not end; the assertion below reports it
        }
      }
    }
    assertThat(items).as("items the pass returned for %d keys", n).isLessThanOrEqualTo(2 * n);
    assertThat(seen).hasSize(n);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(n);
  }

  @Test
  public void anEmptyNamespaceScansToNothing() throws IOException {
    assertThat(scanAll(Namespace.RESPONSES)).isEmpty();
  }

  @Test
  public void putAllStoresEveryEntryAsPutWould() throws IOException {
    storage.put(Namespace.RESPONSES, "e0", bytes("old"), null);
    List<Storage.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) { // keys spread over the slots of a cluster
      entries.add(new Storage.Entry("e" + i, bytes("value " + i), i % 2 == 0 ? LATER : null));
    }
    storage.putAll(Namespace.RESPONSES, List.of());
    storage.putAll(Namespace.RESPONSES, entries);
    storage.putAll(Namespace.REDIRECTS, List.of(new Storage.Entry("alias", bytes("e1"), LATER)));

    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(300);
    for (int i = 0; i < 300; i++) { // "e0" replaced, the others new
      assertThat(storage.get(Namespace.RESPONSES, "e" + i).map(v -> new String(v, UTF_8)))
          .hasValue("value " + i);
    }
    long bytes = entries.stream().mapToLong(e -> e.value().length).sum();
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(bytes);
    for (Item item : scanAll(Namespace.RESPONSES)) {
      int i = Integer.parseInt(item.key().substring(1));
      assertThat(item.expires()).as(item.key()).isEqualTo(i % 2 == 0 ? LATER : null);
    }
    assertThat(storage.get(Namespace.REDIRECTS, "alias").map(v -> new String(v, UTF_8)))
        .hasValue("e1");
  }

  @Test
  public void bytesFollowWritesReplacementsAndRemovals() throws IOException {
    assertThat(storage.bytes(Namespace.RESPONSES)).isZero();
    storage.put(Namespace.RESPONSES, "a", new byte[100], null);
    storage.put(Namespace.RESPONSES, "b", new byte[50], LATER);
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(150);
    storage.put(Namespace.RESPONSES, "a", new byte[10], null);
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(60);
    storage.remove(Namespace.RESPONSES, "b");
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(10);
    storage.put(Namespace.REDIRECTS, "x", new byte[7], null);
    assertThat(storage.bytes(Namespace.REDIRECTS)).isEqualTo(7);
    storage.clear();
    assertThat(storage.bytes(Namespace.RESPONSES)).isZero();
    assertThat(storage.bytes(Namespace.REDIRECTS)).isZero();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  public void removeExpiredRemovesOnlyWhatExpiredByThen() throws IOException {
    storage.put(Namespace.RESPONSES, "past", bytes("1"), PAST);
    storage.put(Namespace.RESPONSES, "now", bytes("2"), NOW);
    storage.put(Namespace.RESPONSES, "later", bytes("3"), LATER);
    storage.put(Namespace.RESPONSES, "never", bytes("4"), null);
    storage.put(Namespace.REDIRECTS, "alias", bytes("past"), PAST);
    assertThat(storage.removeExpired(Namespace.RESPONSES, NOW)).isEqualTo(2);
    assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrder("later", "never");
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(2);
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(2);
    assertThat(storage.keys(Namespace.REDIRECTS)).containsExactly("alias");
    assertThat(storage.removeExpired(Namespace.REDIRECTS, NOW)).isEqualTo(1);
  }

  @Test
  public void trimEvictsTheLeastRecentlyUsedFirst() throws IOException {
    if (!storage.evicts()) {
      assertThatThrownBy(() -> storage.trim(1, Long.MAX_VALUE))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    assertThat(storage.trim(10, Long.MAX_VALUE)).isEmpty(); // nothing to do, and starts tracking
    for (int i = 0; i < 10; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[10], null);
      pause();
    }
    // Reading the two oldest makes them the most recently used.
    storage.get(Namespace.RESPONSES, "k0");
    pause();
    storage.get(Namespace.RESPONSES, "k1");
    pause();
    List<String> evicted = storage.trim(7, Long.MAX_VALUE);
    assertThat(evicted).containsExactly("k2", "k3", "k4");
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(7);
    assertThat(storage.keys(Namespace.RESPONSES))
        .containsExactlyInAnyOrder("k0", "k1", "k5", "k6", "k7", "k8", "k9");
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(70);
  }

  @Test
  public void trimBoundsBytesToo() throws IOException {
    if (!storage.evicts()) {
      return;
    }
    for (int i = 0; i < 5; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[100], null);
      pause();
    }
    assertThat(storage.trim(Long.MAX_VALUE, 500)).isEmpty();
    storage.put(Namespace.RESPONSES, "big", new byte[250], null);
    assertThat(storage.trim(Long.MAX_VALUE, 500)).containsExactly("k0", "k1", "k2");
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(450);
    assertThat(storage.trim(Long.MAX_VALUE, 500)).isEmpty();
  }

  @Test
  public void trimGoesOnePercentUnderLargeBounds() throws IOException {
    if (!storage.evicts()) {
      return;
    }
    for (int i = 0; i < 1_001; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[1], null);
    }
    assertThat(storage.trim(1_000, Long.MAX_VALUE)).hasSize(11);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(990);
  }

  /**
   * Lets the clock of use move on between two operations whose order a test checks. Storages stamp
   * use with the system's clock, in milliseconds at worst.
   */
  protected static void pause() {
    long until = System.currentTimeMillis() + 2;
    while (System.currentTimeMillis() < until) {
      Thread.onSpinWait();
    }
  }
}
