package dev.httpcache.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Storage.withTimeout: a call past the timeout fails with an IOException and leaves the storage
 * usable; the storage's own errors come through as they were; hung calls are bounded.
 */
final class TimeoutStorageTest {
  // Long enough that a call that does not hang never reaches it, even on a loaded machine.
  private static final Duration SHORT = Duration.ofMillis(250);

  /** A memory storage whose calls wait on a latch while it is closed, counting them. */
  private static final class Hanging implements Storage {
    final Storage memory = Storage.inMemory();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile @Nullable Exception failure;

    private void enter() throws IOException {
      started.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException();
      }
      Exception f = failure;
      if (f instanceof IOException io) {
        throw io;
      }
      if (f instanceof RuntimeException runtime) {
        throw runtime;
      }
    }

    @Override
    public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
      enter();
      try {
        return memory.get(namespace, key);
      } finally {
        finished.incrementAndGet();
      }
    }

    @Override
    public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
        throws IOException {
      enter();
      memory.put(namespace, key, value, expires);
      finished.incrementAndGet();
    }

    @Override
    public boolean remove(Namespace namespace, String key) throws IOException {
      enter();
      return memory.remove(namespace, key);
    }

    @Override
    public List<String> keys(Namespace namespace) throws IOException {
      enter();
      return memory.keys(namespace);
    }

    @Override
    public long count(Namespace namespace) throws IOException {
      enter();
      return memory.count(namespace);
    }

    @Override
    public void clear() throws IOException {
      enter();
      memory.clear();
    }

    @Override
    public void close() throws IOException {
      memory.close();
    }
  }

  private final Hanging hanging = new Hanging();
  private final List<Storage> opened = new ArrayList<>();

  private Storage timeout(Duration timeout, int maxOutstanding) {
    Storage s = new TimeoutStorage(hanging, timeout, maxOutstanding);
    opened.add(s);
    return s;
  }

  @AfterEach
  void release() throws IOException {
    hanging.gate.countDown();
    for (Storage s : opened) {
      s.close();
    }
  }

  @Test
  void aCallPastTheTimeoutFailsWithAnIoExceptionAndTheStorageStaysUsable() throws Exception {
    Storage storage = timeout(SHORT, 64);
    storage.put(Namespace.RESPONSES, "k", "v".getBytes(UTF_8), null);

    hanging.gate = new CountDownLatch(1);
    assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("storage get took longer than 250 ms")
        .hasMessageContaining("it may still complete");
    assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, "k2", "w".getBytes(UTF_8), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("storage put took longer than 250 ms");

    // The storage answers again: the calls given up on run on to their end, the write too.
    hanging.gate.countDown();
    assertThat(storage.get(Namespace.RESPONSES, "k")).map(v -> new String(v, UTF_8)).hasValue("v");
    assertThat(storage.count(Namespace.RESPONSES)).isBetween(1L, 2L);
    storage.put(Namespace.RESPONSES, "k3", "x".getBytes(UTF_8), null);
    assertThat(storage.get(Namespace.RESPONSES, "k3")).isPresent();
  }

  @Test
  void theStoragesOwnErrorsComeThroughAsTheyWere() throws Exception {
    Storage storage = timeout(Duration.ofSeconds(30), 64);
    hanging.failure = new IOException("disk on fire");
    assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k")).isSameAs(hanging.failure);
    hanging.failure = new IllegalStateException("storage is closed");
    assertThatThrownBy(() -> storage.keys(Namespace.RESPONSES)).isSameAs(hanging.failure);
  }

  @Test
  void whileTheMostCallsHangFurtherCallsFailAtOnce() throws Exception {
    Storage storage = timeout(SHORT, 2);
    hanging.gate = new CountDownLatch(1);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
          .hasMessageContaining("took longer than");
    }
    int started = hanging.started.get();
    assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("storage get refused: 2 calls to")
        .hasMessageContaining("are still running past their timeout of 250 ms");
    assertThat(hanging.started.get())
        .as("the refused call never reached the storage")
        .isEqualTo(started);

    hanging.gate.countDown();
    // The hung calls end, and a moment later their threads take calls again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Optional<byte[]> read;
    while (true) {
      try {
        read = storage.get(Namespace.RESPONSES, "k");
        break;
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("refused") || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
    assertThat(read).isEmpty();
  }

  @Test
  void aScanIsReadInBatchesEachWithinTheTimeout() throws Exception {
    Storage storage = timeout(Duration.ofSeconds(30), 64);
    for (int i = 0; i < 600; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, new byte[i % 7], null);
    }
    List<String> keys = new ArrayList<>();
    long bytes = 0;
    try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        keys.add(item.get().key());
        bytes += item.get().size();
      }
    }
    assertThat(keys).hasSize(600).doesNotHaveDuplicates();
    assertThat(bytes).isEqualTo(storage.bytes(Namespace.RESPONSES));
  }

  @Test
  void anInterruptedCallerGetsAnInterruptedIoException() throws Exception {
    Storage storage = timeout(Duration.ofSeconds(30), 64);
    hanging.gate = new CountDownLatch(1);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
          .isInstanceOf(InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void closingClosesTheStorageAndLaterCallsAreRefused() throws Exception {
    Storage storage = timeout(SHORT, 64);
    storage.close();
    storage.close(); // twice does nothing
    assertThatThrownBy(() -> hanging.memory.count(Namespace.RESPONSES))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theTimeoutMustBePositive() {
    assertThatThrownBy(() -> Storage.withTimeout(Storage.inMemory(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> Storage.withTimeout(Storage.inMemory(), Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
