package dev.httpcache;

import dev.httpcache.codec.IntegrityException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listener the engine talks to: counts every event for {@link CacheStats}, then passes it on to
 * the user's listener, whose exceptions it logs and swallows so that they never fail a request.
 */
final class Counters implements CacheListener {
  private static final System.Logger LOG = System.getLogger(HttpCache.class.getName());

  private final CacheListener user;
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder revalidations = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder stored = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder errors = new LongAdder();

  Counters(CacheListener user) {
    this.user = user;
  }

  CacheListener user() {
    return user;
  }

  private static void failed(RuntimeException e) {
    LOG.log(Level.WARNING, "Cache listener threw", e);
  }

  @Override
  public void onHit(String key) {
    hits.increment();
    try {
      user.onHit(key);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onMiss(String key) {
    misses.increment();
    try {
      user.onMiss(key);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onStored(String key, int bodyBytes) {
    stored.increment();
    try {
      user.onStored(key, bodyBytes);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onRevalidated(String key) {
    revalidations.increment();
    try {
      user.onRevalidated(key);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onStaleServed(String key) {
    staleServed.increment();
    try {
      user.onStaleServed(key);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onEvicted(String key) {
    evictions.increment();
    try {
      user.onEvicted(key);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onRefused(String key) {
    try {
      user.onRefused(key);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onUndecodable(String key, IOException error) {
    errors.increment();
    try {
      user.onUndecodable(key, error);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onIntegrityFailure(String key, IntegrityException error) {
    errors.increment();
    try {
      user.onIntegrityFailure(key, error);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void onStorageFault(String operation, IOException error) {
    errors.increment();
    try {
      user.onStorageFault(operation, error);
    } catch (RuntimeException e) {
      failed(e);
    }
  }
}
