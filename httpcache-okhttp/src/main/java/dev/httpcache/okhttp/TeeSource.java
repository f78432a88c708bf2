package dev.httpcache.okhttp;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;
import okio.Timeout;

/**
 * Passes a response body through to the caller untouched while keeping a copy, up to a limit; when
 * the body ends within the limit, the copy goes to a sink (which stores it) before the caller sees
 * the end, so that a response read whole is already cached. A body closed before its end is read on
 * for at most {@value #DRAIN_MILLIS} ms, as OkHttp's own cache does, and stored when that reaches
 * the end. Used by one reader at a time.
 */
final class TeeSource extends ForwardingSource {
  /** How long closing an unfinished body may read on, in milliseconds (OkHttp's own figure). */
  static final long DRAIN_MILLIS = 100;

  private static final System.Logger LOG = System.getLogger(TeeSource.class.getName());

  private final Buffer copy = new Buffer();
  private final long limit;
  private final Consumer<byte[]> sink;
  private final Runnable abandoned;
  private boolean ended;
  private boolean overflowed;
  private boolean closed;

  /**
   * @param limit the largest body copied, in bytes
   * @param sink receives the whole body when it ends within the limit
   * @param abandoned runs when the body fails, overflows the limit or is closed unfinished, so
   *     nothing is stored; it may run more than once
   */
  TeeSource(Source delegate, long limit, Consumer<byte[]> sink, Runnable abandoned) {
    super(delegate);
    this.limit = limit;
    this.sink = sink;
    this.abandoned = abandoned;
  }

  @Override
  public long read(Buffer into, long byteCount) throws IOException {
    long n;
    try {
      n = super.read(into, byteCount);
    } catch (IOException | RuntimeException e) {
      // A body that failed half-way is never stored.
      abandon();
      throw e;
    }
    if (n == -1) {
      end();
      return -1;
    }
    if (!overflowed && !ended) {
      if (copy.size() + n > limit) {
        abandon();
      } else {
        into.copyTo(copy, into.size() - n, n);
      }
    }
    return n;
  }

  private void end() {
    if (ended || overflowed) {
      return;
    }
    ended = true;
    byte[] bytes = copy.readByteArray();
    try {
      sink.accept(bytes);
    } catch (RuntimeException e) {
      abandoned.run();
      LOG.log(System.Logger.Level.WARNING, "Storing a response failed", e);
    }
  }

  private void abandon() {
    overflowed = true;
    copy.clear();
    abandoned.run();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!ended && !overflowed) {
        drain();
      }
      if (!ended) {
        abandon();
      }
    } finally {
      super.close();
    }
  }

  /** Reads what is left of the body, for at most {@link #DRAIN_MILLIS}. */
  private void drain() {
    Timeout timeout = delegate().timeout();
    long now = System.nanoTime();
    boolean hadDeadline = timeout.hasDeadline();
    long deadline = hadDeadline ? timeout.deadlineNanoTime() : 0;
    long drainNanos = TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    timeout.deadlineNanoTime(hadDeadline ? Math.min(deadline, now + drainNanos) : now + drainNanos);
    try {
      Buffer scratch = new Buffer();
      while (!overflowed && read(scratch, 8192) != -1) {
        scratch.clear();
      }
    } catch (IOException | RuntimeException e) {
      // Not all of it in time: nothing is stored.
    } finally {
      if (hadDeadline) {
        timeout.deadlineNanoTime(deadline);
      } else {
        timeout.clearDeadline();
      }
    }
  }
}
