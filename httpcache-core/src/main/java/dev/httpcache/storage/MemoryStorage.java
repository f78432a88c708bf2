package dev.httpcache.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
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

  /** Stands for "never expires" in {@link Value#expires}. */
  private static final long NEVER = Long.MIN_VALUE;

  /**
   * A stored value, its expiry in epoch milliseconds ({@link #NEVER} for never) and when it was
   * last used ({@link System#nanoTime()}). Kept small: it is paid once per entry.
   */
  private static final class Value {
    final byte[] bytes;
    final long expires;

    // Written by readers without synchronization: a lost update only makes eviction a little
    // less exact, and a lock here would serialize every hit.
    long used;

    Value(byte[] bytes, @Nullable Instant expires) {
      this.bytes = bytes;
      this.expires = expires == null ? NEVER : millis(expires);
      this.used = System.nanoTime();
    }

    @Nullable Instant expires() {
      return expires == NEVER ? null : Instant.ofEpochMilli(expires);
    }

    boolean expiredAt(long nowMillis) {
      return expires != NEVER && expires <= nowMillis;
    }

    private static long millis(Instant instant) {
      try {
        return instant.toEpochMilli();
      } catch (ArithmeticException e) {
        return instant.isBefore(Instant.EPOCH) ? NEVER + 1 : Long.MAX_VALUE;
      }
    }
  }

  /**
   * The map key of a key of 64 lower-case hex digits (every key the engine makes by default): its
   * 32 bytes in four longs, a third of the size of the string. Other keys are their own strings.
   */
  private static final class HexKey {
    private static final HexFormat HEX = HexFormat.of();

    final long a;
    final long b;
    final long c;
    final long d;

    private HexKey(long a, long b, long c, long d) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.d = d;
    }

    /** Returns the map key of {@code key}: a HexKey when it is 64 lower-case hex digits. */
    static Object of(String key) {
      if (key.length() != 64) {
        return key;
      }
      long[] parts = new long[4];
      for (int i = 0; i < 64; i++) {
        char ch = key.charAt(i);
        int digit;
        if (ch >= '0' && ch <= '9') {
          digit = ch - '0';
        } else if (ch >= 'a' && ch <= 'f') {
          digit = ch - 'a' + 10;
        } else {
          return key; // not lower-case hex: kept as the string, so it reads back as written
        }
        parts[i >> 4] = (parts[i >> 4] << 4) | digit;
      }
      return new HexKey(parts[0], parts[1], parts[2], parts[3]);
    }

    /** Returns the key as a string, whatever its map key is. */
    static String text(Object mapKey) {
      return mapKey instanceof HexKey ? mapKey.toString() : (String) mapKey;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof HexKey)) {
        return false;
      }
      HexKey k = (HexKey) o;
      return a == k.a && b == k.b && c == k.c && d == k.d;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(a ^ c) * 31 + Long.hashCode(b ^ d);
    }

    @Override
    public String toString() {
      return HEX.toHexDigits(a) + HEX.toHexDigits(b) + HEX.toHexDigits(c) + HEX.toHexDigits(d);
    }
  }

  private final List<ConcurrentHashMap<Object, Value>> maps =
      List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  private final List<AtomicLong> totals = List.of(new AtomicLong(), new AtomicLong());
  private final ReentrantLock evicting = new ReentrantLock();
  private volatile boolean closed;

  private ConcurrentHashMap<Object, Value> map(Namespace namespace) {
    if (closed) {
      throw new IllegalStateException("the memory storage is closed");
    }
    return maps.get(namespace.ordinal());
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) {
    Value value = map(namespace).get(HexKey.of(key));
    if (value == null) {
      return Optional.empty();
    }
    value.used = System.nanoTime();
    return Optional.of(value.bytes); // never modified: a put stores a new array
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires) {
    Value stored = new Value(value.clone(), expires);
    Value old = map(namespace).put(HexKey.of(key), stored);
    totals.get(namespace.ordinal()).addAndGet(stored.bytes.length - size(old));
  }

  @Override
  public boolean remove(Namespace namespace, String key) {
    Value old = map(namespace).remove(HexKey.of(key));
    totals.get(namespace.ordinal()).addAndGet(-size(old));
    return old != null;
  }

  /** Removes {@code key} only while it still holds {@code value}, so a newer write survives. */
  private boolean remove(Namespace namespace, Object key, Value value) {
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
    List<String> keys = new ArrayList<>(map(namespace).size());
    for (Object key : map(namespace).keySet()) {
      keys.add(HexKey.text(key));
    }
    return keys;
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
    Iterator<Map.Entry<Object, Value>> entries = map(namespace).entrySet().iterator();
    return new Cursor() {
      @Override
      public Optional<Item> next() {
        if (closed || !entries.hasNext()) {
          return Optional.empty();
        }
        Map.Entry<Object, Value> entry = entries.next();
        Value value = entry.getValue();
        return Optional.of(
            new Item(HexKey.text(entry.getKey()), value.bytes.length, value.expires()));
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) {
    long removed = 0;
    long nowMillis = Value.millis(now);
    for (Map.Entry<Object, Value> entry : map(namespace).entrySet()) {
      if (entry.getValue().expiredAt(nowMillis)
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
    ConcurrentHashMap<Object, Value> map = map(Namespace.RESPONSES);
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
      Map.Entry<Object, Value>[] byUse = map.entrySet().toArray(new Map.Entry[0]);
      Arrays.sort(byUse, Comparator.comparingLong(e -> e.getValue().used));
      long entryTarget = Eviction.target(maxEntries);
      long byteTarget = Eviction.target(maxBytes);
      List<String> removed = new ArrayList<>();
      for (Map.Entry<Object, Value> oldest : byUse) {
        if (map.size() <= entryTarget && bytes.get() <= byteTarget) {
          break;
        }
        if (remove(Namespace.RESPONSES, oldest.getKey(), oldest.getValue())) {
          removed.add(HexKey.text(oldest.getKey()));
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
      for (Map.Entry<Object, Value> entry : map(namespace).entrySet()) {
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
