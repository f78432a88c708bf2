package dev.httpcache.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Temporary in-memory storage, to be replaced. */
final class MemoryStorage implements Storage {
  private final Map<String, byte[]> responses = new ConcurrentHashMap<>();
  private final Map<String, byte[]> redirects = new ConcurrentHashMap<>();

  private Map<String, byte[]> map(Namespace ns) {
    return ns == Namespace.RESPONSES ? responses : redirects;
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) {
    return Optional.ofNullable(map(namespace).get(key));
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
    responses.clear();
    redirects.clear();
  }

  @Override
  public void close() {}
}
