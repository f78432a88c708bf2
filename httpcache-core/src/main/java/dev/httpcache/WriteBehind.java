package dev.httpcache;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A storage that takes writes into memory and hands them to the storage beneath in batches, on one
 * daemon thread, so that a request that stores its response does not wait for a disk or a network
 * ({@link HttpCache.Builder#writeBehind}). Reads see the writes not yet handed over (a process
 * reads its own writes at once; others see them after the next batch, tens of milliseconds at most
 * under load). Everything but {@link #get} and {@link #put} first waits for the pending writes, so
 * that listing, counting and deleting see every write.
 *
 * <p>A remove and the batch that may hold the same key take turns on one lock, so a removed entry
 * is never written back by a batch already under way. When more than {@link #MAX_PENDING} writes
 * wait, a write waits for the batch, which bounds memory. A failed batch is reported to the
 * listener as a storage fault and its writes are dropped, as a failed write would be.
 */
final class WriteBehind implements Storage {
  private static final System.Logger LOG = System.getLogger(HttpCache.class.getName());

  /** How many writes may wait before a write waits for them to be handed over. */
  static final int MAX_PENDING = 4_096;

  /**
   * How long the writer lets writes gather once one is waiting, so that a burst goes beneath in one
   * batch (one transaction, one pipeline) instead of one each; a flush ends the wait at once.
   */
  static final Duration LINGER = Duration.ofMillis(2);

  /** How many waiting writes end the linger early: a batch this large is worth writing now. */
  static final int LINGER_BATCH = 256;

  /** A write not yet handed over. */
  private record Pending(byte[] value, @Nullable Instant expires) {}

  private final Storage delegate;
  private final BiConsumer<String, Exception> fault;
  private final Consumer<String> evicted;
  private final List<ConcurrentHashMap<String, Pending>> pending =
      List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  private final AtomicLong waiting = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private final Thread writer;
  private volatile long maxEntries = Long.MAX_VALUE;
  private volatile long maxBytes = Long.MAX_VALUE;
  private volatile boolean bounded;
  private volatile boolean closed;
  private final long lingerNanos;
  // Whether the writer is parked with nothing to do: only then does a write wake it.
  private volatile boolean idle;
  // How many callers wait in flush(): the writer stops lingering for them.
  private final AtomicInteger flushing = new AtomicInteger();

  WriteBehind(Storage delegate, BiConsumer<String, Exception> fault, Consumer<String> evicted) {
    this(delegate, fault, evicted, LINGER);
  }

  WriteBehind(
      Storage delegate,
      BiConsumer<String, Exception> fault,
      Consumer<String> evicted,
      Duration linger) {
    this.delegate = delegate;
    this.fault = fault;
    this.evicted = evicted;
    this.lingerNanos = linger.toNanos();
    this.writer = new Thread(this::run, "httpcache-write-behind");
    writer.setDaemon(true);
    writer.start();
  }

  private ConcurrentHashMap<String, Pending> writes(Namespace namespace) {
    return pending.get(namespace.ordinal());
  }

  /** Returns the storage beneath. */
  Storage delegate() {
    return delegate;
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    Pending p = writes(namespace).get(key);
    return p != null ? Optional.of(p.value) : delegate.get(namespace, key);
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    if (closed) {
      throw new IllegalStateException(delegate + " is closed");
    }
    long count =
        writes(namespace).put(key, new Pending(value.clone(), expires)) == null
            ? waiting.incrementAndGet()
            : 0;
    if (count > MAX_PENDING) {
      flush(); // back-pressure: memory stays bounded when the storage cannot keep up
      return;
    }
    if (idle || count == LINGER_BATCH) {
      LockSupport.unpark(writer); // no lock: a write never waits for a batch under way
    }
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    lock.lock(); // a batch under way finishes first, so it cannot write the key back afterwards
    try {
      boolean wasPending = writes(namespace).remove(key) != null;
      if (wasPending) {
        waiting.decrementAndGet();
      }
      return delegate.remove(namespace, key) || wasPending;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    flush();
    return delegate.keys(namespace);
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    flush();
    return delegate.count(namespace);
  }

  @Override
  public Cursor scan(Namespace namespace) throws IOException {
    flush();
    return delegate.scan(namespace);
  }

  @Override
  public long bytes(Namespace namespace) throws IOException {
    flush();
    return delegate.bytes(namespace);
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) throws IOException {
    flush();
    return delegate.removeExpired(namespace, now);
  }

  @Override
  public boolean evicts() {
    return delegate.evicts();
  }

  /**
   * Records the bounds and returns nothing: the writer trims the storage beneath after each batch
   * and reports what it evicted itself.
   */
  @Override
  public List<String> trim(long maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.bounded = true;
    return List.of();
  }

  @Override
  public void clear() throws IOException {
    lock.lock();
    try {
      for (Map<String, Pending> writes : pending) {
        writes.clear();
      }
      waiting.set(0);
      delegate.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every write made before this call has been handed over (or dropped). */
  void flush() throws IOException {
    flushing.incrementAndGet();
    lock.lock();
    try {
      while (waiting.get() > 0 && writer.isAlive()) {
        LockSupport.unpark(writer);
        try {
          drained.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while writing the cache");
        }
      }
    } finally {
      lock.unlock();
      flushing.decrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    flush();
    closed = true;
    writer.interrupt();
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  private void run() {
    while (!closed) {
      if (waiting.get() == 0) {
        idle = true;
        // A write either sees idle and unparks, or is seen here; an unpark between this check and
        // the park leaves a permit, so the park returns at once.
        if (waiting.get() == 0) {
          LockSupport.park(this);
        }
        idle = false;
        Thread.interrupted(); // close() interrupts; the loop condition decides
        continue;
      }
      linger();
      lock.lock();
      try {
        writeBatch();
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Waits up to {@link #LINGER} for more writes to join the batch; a flush, a large batch or
   * closing ends the wait. Writes made meanwhile do not wake the writer: each wake-up is a system
   * call and a thread switch taken from the requests.
   */
  private void linger() {
    long deadline = System.nanoTime() + lingerNanos;
    long left = lingerNanos;
    while (left > 0 && flushing.get() == 0 && waiting.get() < LINGER_BATCH && !closed) {
      LockSupport.parkNanos(this, left);
      left = deadline - System.nanoTime();
    }
  }

  /** Hands every pending write to the storage beneath, each namespace in one call; under lock. */
  private void writeBatch() {
    for (Namespace namespace : Namespace.values()) {
      ConcurrentHashMap<String, Pending> writes = writes(namespace);
      if (writes.isEmpty()) {
        continue;
      }
      List<Map.Entry<String, Pending>> batch = new ArrayList<>(writes.entrySet());
      List<Storage.Entry> entries = new ArrayList<>(batch.size());
      for (Map.Entry<String, Pending> w : batch) {
        entries.add(new Storage.Entry(w.getKey(), w.getValue().value, w.getValue().expires));
      }
      try {
        delegate.putAll(namespace, entries);
      } catch (IOException | RuntimeException failure) {
        fault.accept("write", failure);
      }
      for (Map.Entry<String, Pending> w : batch) {
        // A newer write of the same key stays pending for the next batch.
        if (writes.remove(w.getKey(), w.getValue())) {
          waiting.decrementAndGet();
        }
      }
    }
    if (bounded) {
      try {
        for (String key : delegate.trim(maxEntries, maxBytes)) {
          evicted.accept(key);
        }
      } catch (IOException | RuntimeException failure) {
        fault.accept("trim", failure);
      }
    }
    LOG.log(Level.TRACE, "write-behind batch written");
  }
}
