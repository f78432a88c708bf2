package dev.httpcache.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
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
 * <p>Inspection and maintenance go through {@link #scan}, which lists keys with their sizes and
 * expiry times page by page, so that memory stays flat at any number of entries. Storages that
 * track use ({@link #evicts()}) can be bounded: the engine calls {@link #trim} after its writes.
 *
 * <p>Stock implementations: {@link #inMemory()}, {@link #sqlite()}, {@link #sqlite(Path)} and
 * {@link #filesystem(Path)}.
 */
public interface Storage extends Closeable {

  /** The two key spaces of a storage. */
  enum Namespace {
    /** Cache key to encoded response entry. */
    RESPONSES,
    /** Alias key (a request that was redirected) to the cache key of the final response. */
    REDIRECTS
  }

  /**
   * What a storage knows of one value without reading it: its key, its size in bytes, and when it
   * expires.
   *
   * @param key the key the value is stored under
   * @param size the value's length in bytes
   * @param expires when the value expires, or {@code null} when it never does
   */
  record Item(String key, long size, @Nullable Instant expires) {
    /** Checks the fields. */
    public Item {
      Objects.requireNonNull(key, "key");
      if (size < 0) {
        throw new IllegalArgumentException("size must not be negative: " + size);
      }
    }

    /** Whether the value has expired at {@code now}: its expiry is at or before it. */
    public boolean expiredAt(Instant now) {
      return expires != null && !expires.isAfter(now);
    }
  }

  /**
   * A value to store, for {@link #putAll}.
   *
   * @param key the key to store it under
   * @param value the bytes
   * @param expires when it expires, or {@code null} when it never does
   */
  record Entry(String key, byte[] value, @Nullable Instant expires) {
    /** Checks the fields. */
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * One pass over the items of a namespace, from {@link #scan}; pulls them a page at a time. Not
   * thread-safe: one thread uses a cursor, then closes it.
   */
  interface Cursor extends Closeable {
    /**
     * Returns the next item, or empty when the pass is over.
     *
     * @throws IOException when the store cannot be read
     */
    Optional<Item> next() throws IOException;

    /** Releases what the pass holds (a connection, a directory handle). */
    @Override
    void close() throws IOException;
  }

  /** The file name of the default SQLite cache, created in the working directory. */
  String DEFAULT_SQLITE_FILE = "http_cache.sqlite";

  /**
   * Returns the value stored under {@code key}, expired or not, or empty when there is none.
   *
   * <p>The array may be the storage's own (the memory storage hands out the array it holds, so that
   * a hit copies nothing): callers must not modify it. A storage must not modify an array it
   * returned, either; a later {@link #put} stores a new one.
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
   * Stores several values at once, as {@link #put} each; a storage may write them in one
   * transaction or round trip (SQLite does), which costs far less than one each. When it fails,
   * some of the values may have been stored.
   *
   * @throws IOException when the store cannot be written
   */
  default void putAll(Namespace namespace, List<Entry> entries) throws IOException {
    for (Entry entry : entries) {
      put(namespace, entry.key(), entry.value(), entry.expires());
    }
  }

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
   * Starts a pass over the items of {@code namespace}, in no particular order, that never holds
   * every key or any value in memory at once (the memory storage, which holds them anyway, takes
   * one reference to each entry present when the pass starts). A value present for the whole pass
   * is seen at least once (exactly once in the memory, SQLite and filesystem storages; Redis's
   * {@code SCAN} may return a key twice while its table shrinks), also when the pass rewrites the
   * values it meets; one written or removed during the pass may or may not be. Removing items while
   * a pass runs is allowed. The caller closes the cursor.
   *
   * <p>The default implementation lists {@link #keys} and reads each value for its size; stock
   * storages override it.
   *
   * @throws IOException when the store cannot be read
   */
  default Cursor scan(Namespace namespace) throws IOException {
    Iterator<String> keys = keys(namespace).iterator();
    return new Cursor() {
      @Override
      public Optional<Item> next() throws IOException {
        while (keys.hasNext()) {
          String key = keys.next();
          Optional<byte[]> value = get(namespace, key);
          if (value.isPresent()) {
            return Optional.of(new Item(key, value.get().length, null));
          }
        }
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Returns the total size in bytes of the values of {@code namespace}.
   *
   * <p>The default implementation adds up a {@link #scan}; stock storages keep a running total.
   *
   * @throws IOException when the store cannot be read
   */
  default long bytes(Namespace namespace) throws IOException {
    long total = 0;
    try (Cursor cursor = scan(namespace)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        total += item.get().size();
      }
    }
    return total;
  }

  /**
   * Removes every value of {@code namespace} whose expiry is at or before {@code now}; values that
   * never expire stay.
   *
   * <p>The default implementation removes what a {@link #scan} finds; stock storages use an index.
   *
   * @return how many values were removed
   * @throws IOException when the store cannot be read or written
   */
  default long removeExpired(Namespace namespace, Instant now) throws IOException {
    Objects.requireNonNull(now, "now");
    List<String> expired = new ArrayList<>();
    try (Cursor cursor = scan(namespace)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        if (item.get().expiredAt(now)) {
          expired.add(item.get().key());
        }
      }
    }
    long removed = 0;
    for (String key : expired) {
      if (remove(namespace, key)) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * Whether this storage tracks which values were used last and so can {@link #trim} itself. When
   * false, a cache with size bounds refuses to be built on it.
   */
  default boolean evicts() {
    return false;
  }

  /**
   * Removes the least recently used values of {@link Namespace#RESPONSES} until it holds at most
   * {@code maxEntries} values of at most {@code maxBytes} bytes in all. A value counts as used when
   * it is written or read with {@link #get}. A storage may remove a few more values than strictly
   * needed, so that one pass over its values pays for many writes. Cheap when nothing needs to go:
   * the engine calls it after each write of a bounded cache.
   *
   * @param maxEntries the most values to keep, {@link Long#MAX_VALUE} for no bound
   * @param maxBytes the most bytes to keep, {@link Long#MAX_VALUE} for no bound
   * @return the keys of the removed values, for the listener; redirect aliases that pointed at them
   *     are left for the engine to prune
   * @throws UnsupportedOperationException when this storage does not {@linkplain #evicts() evict}
   * @throws IOException when the store cannot be read or written
   */
  default List<String> trim(long maxEntries, long maxBytes) throws IOException {
    throw new UnsupportedOperationException(this + " does not track use, so it cannot evict");
  }

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

  /**
   * Copies every value of both namespaces of {@code source} into {@code target}, each with its
   * expiry, replacing values under the same keys: SQLite to Redis, Redis to a directory, and back.
   * Values are copied as bytes, so signed and encrypted entries stay valid (their keys do not
   * change). Memory stays flat: one value at a time.
   *
   * @return how many values were copied
   * @throws IOException when either storage fails; what was copied until then stays copied
   */
  static long copy(Storage source, Storage target) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    long copied = 0;
    for (Namespace namespace : Namespace.values()) {
      try (Cursor cursor = source.scan(namespace)) {
        for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
          Optional<byte[]> value = source.get(namespace, item.get().key());
          if (value.isPresent()) {
            target.put(namespace, item.get().key(), value.get(), item.get().expires());
            copied++;
          }
        }
      }
    }
    return copied;
  }

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
    return SqliteStorage.open(path, 0);
  }

  /**
   * Opens the SQLite cache at {@code path}, as {@link #sqlite(Path)} does, reading it through a
   * memory map of up to {@code mmapBytes} bytes of the file ({@code PRAGMA mmap_size}): a read then
   * copies from the operating system's page cache instead of asking for each page with a system
   * call, which keeps a hit in a large cache nearly as cheap as in a small one. Choose a size at
   * least as large as the file is expected to grow (about 1.6 KB per 1 KB response); past it, pages
   * are read as usual. Writes are the same either way.
   *
   * <p>The price, and the reason it is off by default: an I/O error of the disk under the mapped
   * file, or another program truncating the file, is no longer an {@code IOException} that the
   * cache reports and answers from the network; it is a {@code SIGBUS} signal that ends the
   * process. SQLite's own changes to the file (several processes may share it) are safe.
   *
   * @param mmapBytes the most of the file to map; 0 maps nothing, as {@link #sqlite(Path)}
   * @throws IllegalArgumentException when {@code mmapBytes} is negative
   * @throws IOException when the file cannot be opened or created
   */
  static Storage sqlite(Path path, long mmapBytes) throws IOException {
    if (mmapBytes < 0) {
      throw new IllegalArgumentException("mmapBytes must be 0 or more: " + mmapBytes);
    }
    return SqliteStorage.open(path, mmapBytes);
  }

  /**
   * Opens (creating it and its parent folders if needed) the filesystem cache in {@code directory}:
   * one file per entry, under {@code responses/} and {@code redirects/}, each in one of 256 shard
   * folders. Entries written by a JSON or YAML codec are {@code .json} or {@code .yaml} files that
   * hold the document alone, for people and tools to read; other entries are {@code .bin} files.
   *
   * <p>Each write goes to a temporary file that is then renamed over the old one, so that readers
   * never see part of an entry; several threads and several processes may use one directory at
   * once. An entry's expiry is kept as its file's last-modified time and its last use as its
   * last-access time, so that {@link #trim} evicts the least recently used entries across
   * processes. Folders and files are created readable by their owner only where the filesystem has
   * POSIX permissions. Keys are file names: a key of more than 128 characters of {@code a-z 0-9 _
   * -} or of more than 124 UTF-8 bytes otherwise cannot be stored, and {@link #put} throws an
   * {@link IOException} naming that limit. Counting ({@link #count}, {@link #bytes}) walks the
   * directory. See docs/storages.md.
   *
   * @throws IOException when the folders cannot be created, or the filesystem cannot hold the file
   *     times the storage uses (FAT and exFAT cannot)
   */
  static Storage filesystem(Path directory) throws IOException {
    return FilesystemStorage.open(directory, java.time.InstantSource.system());
  }

  /**
   * Returns a storage that runs each call of {@code storage} on a thread of a small pool and stops
   * waiting for it after {@code timeout}: the call then fails with an {@link IOException}, and the
   * cache fails open for that request as for any storage fault (the request goes to the network,
   * the listener hears {@code onStorageFault}). For a storage without timeouts of its own, such as
   * one of your own over a network or on a disk that may hang; the Redis storage has its own
   * timeouts, and SQLite waits for other processes at most its busy timeout.
   *
   * <pre>{@code
   * Storage storage = Storage.withTimeout(myStorage, Duration.ofMillis(200));
   * }</pre>
   *
   * <p>Every call costs a hand-off between two threads (tens of microseconds, more than a memory or
   * SQLite hit itself), so use it only where a call can hang. A call given up on is not
   * interrupted: it runs on to its end on its thread, and a write may still land. At most 64 calls
   * run at once; while that many hang, further calls fail at once rather than starting threads.
   * Errors of {@code storage} come through unchanged. Closing the returned storage closes {@code
   * storage}, on the calling thread. Thread-safe.
   *
   * @param timeout how long to wait for each call (for a {@link #scan}, for each batch of up to 256
   *     items); positive
   * @throws IllegalArgumentException when the timeout is zero or negative
   */
  static Storage withTimeout(Storage storage, java.time.Duration timeout) {
    return new TimeoutStorage(storage, timeout, TimeoutStorage.DEFAULT_MAX_OUTSTANDING);
  }
}
