package dev.httpcache.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory storage: a concurrent hash map per namespace. Values are copied on the way in, so
 * no caller can change what it stored; {@link #get} hands out the stored array itself, which nobody
 * modifies (a put stores a new one), so that a hit copies nothing. Lives as long as the JVM;
 * nothing is persisted.
 *
 * <p>Each value carries the time it was last used, written without a lock on every read, and each
 * namespace keeps a running total of its bytes, so that {@link #trim} costs two reads when nothing
 * needs to go. When something does, one pass under a lock sorts the values by last use and removes
 * the oldest until the namespace is {@linkplain Eviction#target 1 %} under its bounds, so that the
 * pass pays for many writes.
 */
final class MemoryStorage implements Storage {

  /** A stored value, its expiry and when it was last used ({@link System#nanoTime()}). */
  private static final class Value {
    final byte[] bytes;
    final @Nullable Instant expires;

    // Written by readers without synchronization: a lost update only makes eviction a little
    // less exact, and a lock here would serialize every hit.
    long used;

    Value(byte[] bytes, @Nullable Instant expires) {
      this.bytes = bytes;
      this.expires = expires;
      this.used = System.nanoTime();
    }
  }

  private final List<ConcurrentHashMap<String, Value>> maps =
      List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  private final List<AtomicLong> totals = List.of(new AtomicLong(), new AtomicLong());
  private final ReentrantLock evicting = new ReentrantLock();
  private volatile boolean closed;

  private ConcurrentHashMap<String, Value> map(Namespace namespace) {
    if (closed) {
      throw new IllegalStateException("the memory storage is closed");
    }
    return maps.get(namespace.ordinal());
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) {
    Value value = map(namespace).get(key);
    if (value == null) {
      return Optional.empty();
    }
    value.used = System.nanoTime();
    return Optional.of(value.bytes); // never modified: a put stores a new array
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires) {
    Value stored = new Value(value.clone(), expires);
    Value old = map(namespace).put(key, stored);
    totals.get(namespace.ordinal()).addAndGet(stored.bytes.length - size(old));
  }

  @Override
  public boolean remove(Namespace namespace, String key) {
    Value old = map(namespace).remove(key);
    totals.get(namespace.ordinal()).addAndGet(-size(old));
    return old != null;
  }

  /** Removes {@code key} only while it still holds {@code value}, so a newer write survives. */
  private boolean remove(Namespace namespace, String key, Value value) {
    if (map(namespace).remove(key, value)) {
      totals.get(namespace.ordinal()).addAndGet(-value.bytes.length);
      return true;
    }
    return false;
  }

  private static long size(@Nullable Value value) {
    return value == null ? 0 : value.bytes.length;
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
  public long bytes(Namespace namespace) {
    map(namespace);
    return totals.get(namespace.ordinal()).get();
  }

  @Override
  public Cursor scan(Namespace namespace) {
    Iterator<Map.Entry<String, Value>> entries = map(namespace).entrySet().iterator();
    return new Cursor() {
      @Override
      public Optional<Item> next() {
        if (closed || !entries.hasNext()) {
          return Optional.empty();
        }
        Map.Entry<String, Value> entry = entries.next();
        Value value = entry.getValue();
        return Optional.of(new Item(entry.getKey(), value.bytes.length, value.expires));
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) {
    long removed = 0;
    for (Map.Entry<String, Value> entry : map(namespace).entrySet()) {
      Instant expires = entry.getValue().expires;
      if (expires != null
          && !expires.isAfter(now)
          && remove(namespace, entry.getKey(), entry.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public boolean evicts() {
    return true;
  }

  @Override
  public List<String> trim(long maxEntries, long maxBytes) {
    ConcurrentHashMap<String, Value> map = map(Namespace.RESPONSES);
    AtomicLong bytes = totals.get(Namespace.RESPONSES.ordinal());
    if (map.size() <= maxEntries && bytes.get() <= maxBytes) {
      return List.of();
    }
    evicting.lock();
    try {
      if (map.size() <= maxEntries && bytes.get() <= maxBytes) {
        return List.of(); // another thread trimmed while this one waited
      }
      @SuppressWarnings("unchecked")
      Map.Entry<String, Value>[] byUse = map.entrySet().toArray(new Map.Entry[0]);
      Arrays.sort(byUse, Comparator.comparingLong(e -> e.getValue().used));
      long entryTarget = Eviction.target(maxEntries);
      long byteTarget = Eviction.target(maxBytes);
      List<String> removed = new ArrayList<>();
      for (Map.Entry<String, Value> oldest : byUse) {
        if (map.size() <= entryTarget && bytes.get() <= byteTarget) {
          break;
        }
        if (remove(Namespace.RESPONSES, oldest.getKey(), oldest.getValue())) {
          removed.add(oldest.getKey());
        }
      }
      return removed;
    } finally {
      evicting.unlock();
    }
  }

  @Override
  public void clear() {
    for (Namespace namespace : Namespace.values()) {
      for (Map.Entry<String, Value> entry : map(namespace).entrySet()) {
        remove(namespace, entry.getKey(), entry.getValue());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    maps.forEach(ConcurrentHashMap::clear);
    totals.forEach(t -> t.set(0));
  }

  @Override
  public String toString() {
    return "MemoryStorage[" + maps.get(0).size() + " responses]";
  }
}
