package dev.httpcache.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where cache entries live: a key-value store over bytes with two namespaces, {@link
 * Namespace#RESPONSES} (cache key to encoded entry) and {@link Namespace#REDIRECTS} (alias key to
 * the cache key it points at).
 *
 * <p>A storage knows nothing of HTTP: the engine encodes entries with a codec before they reach it,
 * and decodes what it returns. Each value carries an expiry time, which a storage may use to purge
 * or to set a native time-to-live; it must not hide an expired value from {@link #get}, since stale
 * entries are still used for revalidation.
 *
 * <p>Implementations are thread-safe. Every method may throw {@link IOException} when the
 * underlying store fails; the cache then fails open (the request goes to the network) and reports
 * the fault.
 *
 * <p>Stock implementations: {@link #inMemory()}, {@link #sqlite()} and {@link #sqlite(Path)}.
 */
public interface Storage extends Closeable {

  /** The two key spaces of a storage. */
  enum Namespace {
    /** Cache key to encoded response entry. */
    RESPONSES,
    /** Alias key (a request that was redirected) to the cache key of the final response. */
    REDIRECTS
  }

  /** The file name of the default SQLite cache, created in the working directory. */
  String DEFAULT_SQLITE_FILE = "http_cache.sqlite";

  /**
   * Returns the value stored under {@code key}, expired or not, or empty when there is none.
   *
   * @throws IOException when the store cannot be read
   */
  Optional<byte[]> get(Namespace namespace, String key) throws IOException;

  /**
   * Stores {@code value} under {@code key}, replacing any previous value.
   *
   * @param expires when the value expires, or {@code null} when it never does
   * @throws IOException when the store cannot be written
   */
  void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException;

  /**
   * Removes the value under {@code key}.
   *
   * @return whether there was one
   * @throws IOException when the store cannot be written
   */
  boolean remove(Namespace namespace, String key) throws IOException;

  /**
   * Returns every key of the namespace, in no particular order.
   *
   * @throws IOException when the store cannot be read
   */
  List<String> keys(Namespace namespace) throws IOException;

  /**
   * Returns how many values the namespace holds, expired ones included.
   *
   * @throws IOException when the store cannot be read
   */
  long count(Namespace namespace) throws IOException;

  /**
   * Removes every value of both namespaces.
   *
   * @throws IOException when the store cannot be written
   */
  void clear() throws IOException;

  /**
   * Releases the resources of this storage; later calls fail with {@link IllegalStateException}.
   * Closing twice does nothing.
   */
  @Override
  void close() throws IOException;

  /** Returns a new, empty storage that lives in this JVM's heap. */
  static Storage inMemory() {
    return new MemoryStorage();
  }

  /**
   * Opens (creating it if needed) the SQLite cache {@value #DEFAULT_SQLITE_FILE} in the working
   * directory.
   *
   * @throws IOException when the file cannot be opened or created
   */
  static Storage sqlite() throws IOException {
    return sqlite(Path.of(DEFAULT_SQLITE_FILE));
  }

  /**
   * Opens (creating it and its parent folders if needed) the SQLite cache at {@code path}. Several
   * threads and several processes may use one file at once.
   *
   * @throws IOException when the file cannot be opened or created
   */
  static Storage sqlite(Path path) throws IOException {
    return SqliteStorage.open(path);
  }
}
