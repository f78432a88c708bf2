package dev.httpcache.cli;

import dev.httpcache.CacheListener;
import dev.httpcache.HttpCache;
import dev.httpcache.codec.Codec;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Hears the cache for a command: remembers which keys were stored, and reports each storage fault
 * and undecodable entry as one warning line. The cache fails open on those, so the command goes on.
 * Thread-safe.
 */
final class Reporter implements CacheListener {
  private final Io io;
  private final Set<String> stored = ConcurrentHashMap.newKeySet();
  private final AtomicInteger faults = new AtomicInteger();

  Reporter(Io io) {
    this.io = io;
  }

  /**
   * Opens the cache that {@code cache} names, with this reporter as its listener.
   *
   * @throws CommandFailure when the storage cannot be opened, or the codec options are bad
   */
  HttpCache open(CacheOption cache, UnaryOperator<@Nullable String> environment) {
    Codec codec = cache.codec(environment);
    Storage storage;
    try {
      storage = cache.open();
    } catch (CommandFailure e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String where = cache.describe();
      String message = Errors.message(e);
      // Say where the cache is, once: the storage's own message may name it already.
      throw CommandFailure.failure(
          message.contains(where)
              ? "cannot open the cache: " + message
              : "cannot open the cache " + where + ": " + message);
    }
    return HttpCache.builder().storage(storage).codec(codec).listener(this).build();
  }

  /** Whether a response was stored under {@code key}. */
  boolean stored(String key) {
    return stored.contains(key);
  }

  /** How many storage faults the cache reported. */
  int faults() {
    return faults.get();
  }

  @Override
  public void onStored(String key, int bodyBytes) {
    stored.add(key);
  }

  @Override
  public void onUndecodable(String key, IOException error) {
    io.warning("deleted an undecodable cache entry: " + Errors.message(error));
  }

  @Override
  public void onStorageFault(String operation, IOException error) {
    faults.incrementAndGet();
    io.warning(
        "cache " + operation + " failed, continuing without the cache: " + Errors.message(error));
  }
}
