package dev.httpcache.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A storage that runs each call of another one on a thread of a small pool and stops waiting for it
 * after a timeout, failing the call with an {@link IOException}, so that the cache fails open
 * instead of hanging on a storage that does not answer. See {@link Storage#withTimeout}.
 *
 * <p>A call that was given up on is not interrupted (an interrupt could break a connection or a
 * file that the storage still needs); it runs on to its end on its thread, and its effect, if any,
 * stands. At most {@link #maxOutstanding} calls run at once: while that many hang, further calls
 * fail at once rather than starting more threads. Thread-safe.
 */
final class TimeoutStorage implements Storage {
  /** The most calls running at once by default. */
  static final int DEFAULT_MAX_OUTSTANDING = 64;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Storage delegate;
  private final Duration timeout;
  private final long timeoutNanos;
  private final int maxOutstanding;
  private final ThreadPoolExecutor executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  TimeoutStorage(Storage delegate, Duration timeout, int maxOutstanding) {
    this.delegate = Objects.requireNonNull(delegate, "storage");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
    }
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.maxOutstanding = maxOutstanding;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    // No queue: a call either gets a thread at once or is refused; idle threads go after 30 s.
    this.executor =
        new ThreadPoolExecutor(
            0,
            maxOutstanding,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread =
                  new Thread(
                      task, "httpcache-storage-timeout-" + pool + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A call of the storage. */
  private interface Call<T> {
    T call() throws IOException;
  }

  private <T> T call(String operation, Call<T> call) throws IOException {
    checkOpen();
    Future<T> future;
    try {
      future = executor.submit(call::call);
    } catch (RejectedExecutionException e) {
      checkOpen();
      throw new IOException(
          "storage "
              + operation
              + " refused: "
              + maxOutstanding
              + " calls to "
              + delegate
              + " are still running past their timeout of "
              + timeout.toMillis()
              + " ms",
          e);
    }
    try {
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "storage "
              + operation
              + " took longer than "
              + timeout.toMillis()
              + " ms; given up (it may still complete) on "
              + delegate,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for storage " + operation);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException("storage " + operation + " failed: " + cause, cause);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("storage is closed: " + this);
    }
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    return call("get", () -> delegate.get(namespace, key));
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    call(
        "put",
        () -> {
          delegate.put(namespace, key, value, expires);
          return Boolean.TRUE;
        });
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    return call("remove", () -> delegate.remove(namespace, key));
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    return call("keys", () -> delegate.keys(namespace));
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    return call("count", () -> delegate.count(namespace));
  }

  /** How many items of a scan one call reads, so that a pass costs one hand-off per batch. */
  static final int SCAN_BATCH = 256;

  @Override
  public Cursor scan(Namespace namespace) throws IOException {
    Cursor cursor = call("scan", () -> delegate.scan(namespace));
    return new Cursor() {
      private final ArrayDeque<Item> batch = new ArrayDeque<>();
      private boolean done;

      @Override
      public Optional<Item> next() throws IOException {
        if (batch.isEmpty() && !done) {
          List<Item> items =
              call(
                  "scan",
                  () -> {
                    List<Item> read = new ArrayList<>();
                    while (read.size() < SCAN_BATCH) {
                      Optional<Item> item = cursor.next();
                      if (item.isEmpty()) {
                        break;
                      }
                      read.add(item.get());
                    }
                    return read;
                  });
          done = items.size() < SCAN_BATCH;
          batch.addAll(items);
        }
        return Optional.ofNullable(batch.pollFirst());
      }

      @Override
      public void close() throws IOException {
        call(
            "scan",
            () -> {
              cursor.close();
              return Boolean.TRUE;
            });
      }
    };
  }

  @Override
  public long bytes(Namespace namespace) throws IOException {
    return call("bytes", () -> delegate.bytes(namespace));
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) throws IOException {
    return call("removeExpired", () -> delegate.removeExpired(namespace, now));
  }

  @Override
  public boolean evicts() {
    return delegate.evicts();
  }

  @Override
  public List<String> trim(long maxEntries, long maxBytes) throws IOException {
    return call("trim", () -> delegate.trim(maxEntries, maxBytes));
  }

  @Override
  public void clear() throws IOException {
    call(
        "clear",
        () -> {
          delegate.clear();
          return Boolean.TRUE;
        });
  }

  /** Closes the storage on the calling thread (not bounded by the timeout) and the pool. */
  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      try {
        delegate.close();
      } finally {
        executor.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "TimeoutStorage[" + delegate + ", " + timeout.toMillis() + " ms]";
  }
}
