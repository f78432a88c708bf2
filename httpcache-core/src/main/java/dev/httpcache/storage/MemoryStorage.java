package dev.httpcache.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory storage: a concurrent hash map per namespace. Values are copied on the way in and
 * out, so no caller can change what another reads. Expiry times are not kept: nothing here purges
 * by them yet. Lives as long as the JVM; nothing is persisted.
 */
final class MemoryStorage implements Storage {
  private final List<ConcurrentHashMap<String, byte[]>> maps =
      List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  private volatile boolean closed;

  private ConcurrentHashMap<String, byte[]> map(Namespace namespace) {
    if (closed) {
      throw new IllegalStateException("the memory storage is closed");
    }
    return maps.get(namespace.ordinal());
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) {
    byte[] value = map(namespace).get(key);
    return value == null ? Optional.empty() : Optional.of(value.clone());
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires) {
    map(namespace).put(key, value.clone());
  }

  @Override
  public boolean remove(Namespace namespace, String key) {
    return map(namespace).remove(key) != null;
  }

  @Override
  public List<String> keys(Namespace namespace) {
    return new ArrayList<>(map(namespace).keySet());
  }

  @Override
  public long count(Namespace namespace) {
    return map(namespace).size();
  }

  @Override
  public void clear() {
    for (Namespace namespace : Namespace.values()) {
      map(namespace).clear();
    }
  }

  @Override
  public void close() {
    closed = true;
    maps.forEach(ConcurrentHashMap::clear);
  }

  @Override
  public String toString() {
    return "MemoryStorage[" + maps.get(0).size() + " responses]";
  }
}
