package dev.httpcache;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The raw bytes of one namespace of a cache's storage ({@link HttpCache#responses()}, {@link
 * HttpCache#redirects()}): requests-cache's {@code cache.responses} and {@code cache.redirects},
 * with their keys and item assignment. Values are entries as the codec framed them; nothing is
 * decoded or checked here, which is what makes it the tool for inspecting and for testing the
 * cache's defences (an entry overwritten here with other bytes is a miss, or under signing an
 * integrity failure). Thread-safe.
 */
public final class RawEntries {
  private final Storage storage;
  private final Namespace namespace;

  RawEntries(Storage storage, Namespace namespace) {
    this.storage = storage;
    this.namespace = namespace;
  }

  /** Returns which namespace this is. */
  public Namespace namespace() {
    return namespace;
  }

  /**
   * Returns every key of the namespace, in no particular order; for large caches prefer {@link
   * HttpCache#entries}, which streams.
   *
   * @throws IOException when the storage cannot be read
   */
  public List<String> keys() throws IOException {
    return storage.keys(namespace);
  }

  /**
   * Returns a copy of the bytes stored under {@code key}, or empty.
   *
   * @throws IOException when the storage cannot be read
   */
  public Optional<byte[]> get(String key) throws IOException {
    // A copy: the storage may hand out its own array, which must never change.
    return storage.get(namespace, Objects.requireNonNull(key, "key")).map(byte[]::clone);
  }

  /**
   * Whether a value is stored under {@code key}.
   *
   * @throws IOException when the storage cannot be read
   */
  public boolean contains(String key) throws IOException {
    return get(key).isPresent();
  }

  /**
   * Stores {@code value} under {@code key}, never expiring, replacing what was there.
   *
   * @throws IOException when the storage cannot be written
   */
  public void put(String key, byte[] value) throws IOException {
    storage.put(
        namespace,
        Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(value, "value"),
        null);
  }

  /**
   * Stores {@code value} under {@code key}, expiring at {@code expires}, replacing what was there.
   *
   * @throws IOException when the storage cannot be written
   */
  public void put(String key, byte[] value, Instant expires) throws IOException {
    storage.put(
        namespace,
        Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(value, "value"),
        Objects.requireNonNull(expires, "expires"));
  }

  /**
   * Removes the value under {@code key}; returns whether there was one.
   *
   * @throws IOException when the storage cannot be written
   */
  public boolean remove(String key) throws IOException {
    return storage.remove(namespace, Objects.requireNonNull(key, "key"));
  }

  /**
   * Returns how many values the namespace holds.
   *
   * @throws IOException when the storage cannot be read
   */
  public long count() throws IOException {
    return storage.count(namespace);
  }

  @Override
  public String toString() {
    return "RawEntries[" + namespace + " of " + storage + "]";
  }
}
