package dev.httpcache.cli;

import dev.httpcache.CacheListener;
import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
   * Opens the SQLite cache at {@code path} with this reporter as its listener.
   *
   * @throws CommandFailure when the file cannot be opened or created
   */
  HttpCache open(Path path) {
    Storage storage;
    try {
      storage = Storage.sqlite(path);
    } catch (IOException | RuntimeException e) {
      String file = path.toAbsolutePath().toString();
      String message = Errors.message(e);
      // Say where the file is, once: the storage's own message may name it already.
      throw CommandFailure.failure(
          message.contains(file)
              ? "cannot open the cache: " + message
              : "cannot open the cache " + file + ": " + message);
    }
    return HttpCache.builder().storage(storage).listener(this).build();
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
