package dev.httpcache.reliability;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A storage that fails chosen operations of a real one, as OkHttp's FaultyFileSystem does for
 * files: by throwing an {@link IOException} or a {@link RuntimeException}, on every call or on
 * every n-th call, or by hanging until it {@linkplain #recover() recovers}. It counts the faults it
 * caused, so that a test can check that the cache heard of each. Thread-safe; the faults can be
 * changed while requests run.
 */
final class FaultyStorage implements Storage {
  /** The operations of the storage SPI. */
  enum Op {
    GET,
    PUT,
    REMOVE,
    KEYS,
    COUNT,
    SCAN,
    BYTES,
    REMOVE_EXPIRED,
    TRIM,
    CLEAR
  }

  /** How a chosen operation fails. */
  enum Fault {
    /** An IOException, as a storage that cannot read or write. */
    IO,
    /** An IllegalStateException, as a storage with a bug or in a bad state. */
    RUNTIME,
    /** An UncheckedIOException, as a library that wraps its I/O errors. */
    UNCHECKED_IO,
    /** The call waits until the storage recovers, as a storage that does not answer. */
    HANG
  }

  private final Storage delegate;
  private volatile Set<Op> failing = EnumSet.noneOf(Op.class);
  private volatile Fault fault = Fault.IO;
  private volatile int every = 1;
  private volatile CountDownLatch hang = new CountDownLatch(0);
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong injected = new AtomicLong();

  FaultyStorage(Storage delegate) {
    this.delegate = delegate;
  }

  /** Makes {@code ops} fail with {@code fault} on every {@code every}-th call of the storage. */
  synchronized void fail(Set<Op> ops, Fault fault, int every) {
    if (fault == Fault.HANG && hang.getCount() == 0) {
      hang = new CountDownLatch(1);
    }
    this.fault = fault;
    this.every = every;
    this.failing = ops.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(ops);
  }

  /** Stops every fault; hanging calls go on. */
  synchronized void recover() {
    failing = EnumSet.noneOf(Op.class);
    hang.countDown();
  }

  /** How many faults this storage caused (for HANG: how many calls it held). */
  long injected() {
    return injected.get();
  }

  private void enter(Op op) throws IOException {
    long call = calls.incrementAndGet();
    if (!failing.contains(op) || call % every != 0) {
      return;
    }
    injected.incrementAndGet();
    String message = "injected fault: " + op + " call " + call;
    switch (fault) {
      case IO -> throw new IOException(message);
      case RUNTIME -> throw new IllegalStateException(message);
      case UNCHECKED_IO -> throw new UncheckedIOException(new IOException(message));
      case HANG -> {
        try {
          hang.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(message);
        }
      }
    }
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    enter(Op.GET);
    return delegate.get(namespace, key);
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    enter(Op.PUT);
    delegate.put(namespace, key, value, expires);
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    enter(Op.REMOVE);
    return delegate.remove(namespace, key);
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    enter(Op.KEYS);
    return delegate.keys(namespace);
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    enter(Op.COUNT);
    return delegate.count(namespace);
  }

  @Override
  public Cursor scan(Namespace namespace) throws IOException {
    enter(Op.SCAN);
    return delegate.scan(namespace);
  }

  @Override
  public long bytes(Namespace namespace) throws IOException {
    enter(Op.BYTES);
    return delegate.bytes(namespace);
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) throws IOException {
    enter(Op.REMOVE_EXPIRED);
    return delegate.removeExpired(namespace, now);
  }

  @Override
  public boolean evicts() {
    return delegate.evicts();
  }

  @Override
  public List<String> trim(long maxEntries, long maxBytes) throws IOException {
    enter(Op.TRIM);
    return delegate.trim(maxEntries, maxBytes);
  }

  @Override
  public void clear() throws IOException {
    enter(Op.CLEAR);
    delegate.clear();
  }

  @Override
  public void close() throws IOException {
    recover();
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultyStorage[" + delegate + "]";
  }
}
