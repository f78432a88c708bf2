package dev.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Writes that arrive while the writer lingers go beneath in one batch. */
final class WriteBehindLingerTest {
  private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

  /** A memory storage that records the size of each batch handed to it. */
  private static final class Batches implements Storage {
    final Storage delegate = Storage.inMemory();
    final List<Integer> sizes = new CopyOnWriteArrayList<>();

    @Override
    public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
      return delegate.get(namespace, key);
    }

    @Override
    public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
        throws IOException {
      sizes.add(1);
      delegate.put(namespace, key, value, expires);
    }

    @Override
    public void putAll(Namespace namespace, List<Entry> entries) throws IOException {
      sizes.add(entries.size());
      delegate.putAll(namespace, entries);
    }

    @Override
    public boolean remove(Namespace namespace, String key) throws IOException {
      return delegate.remove(namespace, key);
    }

    @Override
    public List<String> keys(Namespace namespace) throws IOException {
      return delegate.keys(namespace);
    }

    @Override
    public long count(Namespace namespace) throws IOException {
      return delegate.count(namespace);
    }

    @Override
    public void clear() throws IOException {
      delegate.clear();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  private static WriteBehind writeBehind(Batches beneath, Duration linger, List<String> faults) {
    return new WriteBehind(beneath, (op, e) -> faults.add(op + ": " + e), key -> {}, linger);
  }

  @Test
  void writesMadeWhileTheWriterLingersGoBeneathInOneBatch() throws Exception {
    Batches beneath = new Batches();
    List<String> faults = new ArrayList<>();
    // A linger far longer than the test: only the flush ends it.
    WriteBehind storage = writeBehind(beneath, Duration.ofMinutes(10), faults);
    for (int i = 0; i < 50; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[] {(byte) i}, EXPIRES);
    }
    Thread.sleep(50); // a writer that did not linger would have written the first write by now

    assertThat(beneath.sizes).isEmpty();
    assertThat(storage.get(Namespace.RESPONSES, "k7"))
        .hasValueSatisfying(v -> assertThat(v[0]).isEqualTo((byte) 7));

    storage.flush();

    assertThat(beneath.sizes).containsExactly(50);
    assertThat(beneath.delegate.count(Namespace.RESPONSES)).isEqualTo(50);
    storage.close();
    assertThat(faults).isEmpty();
  }

  @Test
  void aLargeBatchEndsTheLingerWithoutAFlush() throws Exception {
    Batches beneath = new Batches();
    List<String> faults = new ArrayList<>();
    WriteBehind storage = writeBehind(beneath, Duration.ofMinutes(10), faults);
    for (int i = 0; i < WriteBehind.LINGER_BATCH; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[] {1}, EXPIRES);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (beneath.delegate.count(Namespace.RESPONSES) < WriteBehind.LINGER_BATCH
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    assertThat(beneath.delegate.count(Namespace.RESPONSES)).isEqualTo(WriteBehind.LINGER_BATCH);
    assertThat(beneath.sizes.stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(WriteBehind.LINGER_BATCH);
    storage.close();
    assertThat(faults).isEmpty();
  }

  @Test
  void theDefaultLingerIsShortAndAWriteReachesTheStorageWithoutAFlush() throws Exception {
    assertThat(WriteBehind.LINGER).isPositive().isLessThanOrEqualTo(Duration.ofMillis(10));
    Batches beneath = new Batches();
    List<String> faults = new ArrayList<>();
    WriteBehind storage = writeBehind(beneath, WriteBehind.LINGER, faults);
    storage.put(Namespace.RESPONSES, "k", new byte[] {1}, EXPIRES);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (beneath.delegate.count(Namespace.RESPONSES) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }

    assertThat(beneath.delegate.get(Namespace.RESPONSES, "k")).isPresent();
    storage.close();
    assertThat(faults).isEmpty();
  }
}
