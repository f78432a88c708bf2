package dev.httpcache.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
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

  /** Stands for "never expires" in {@link Slot#expires}. */
  private static final long NEVER = Long.MIN_VALUE;

  private static final byte[] NO_BYTES = new byte[0];

  /** How old a slot's last use must be before a read records a newer one. */
  static final long USE_RESOLUTION_NANOS = 1_000_000;

  /**
   * A stored entry: its key, its value, its expiry in epoch milliseconds ({@link #NEVER} for never)
   * and when it was last used ({@link System#nanoTime()}). One object is both the map's key and its
   * value (equality is by key alone), so an entry costs one map node and this object beside its
   * bytes: it is paid once per entry. The map never replaces a value in place (a put removes the
   * old slot, then inserts the new one if absent), so a node's key is always its value.
   */
  private abstract static class Slot {
    final byte[] bytes;
    final long expires;

    // Written by readers without synchronization: a lost update only makes eviction a little
    // less exact, and a lock here would serialize every hit.
    long used;

    Slot(byte[] bytes, @Nullable Instant expires, long used) {
      this.bytes = bytes;
      this.expires = expires == null ? NEVER : millis(expires);
      this.used = used;
    }

    /**
     * Returns the slot of {@code key}: a {@link HexSlot} when the key is 64 lower-case hex digits
     * (every key the engine makes by default), else a {@link TextSlot}.
     */
    static Slot of(String key, byte[] bytes, @Nullable Instant expires, long used) {
      if (key.length() == 64) {
        // On every read: eight characters at a time. A character beyond Latin-1 becomes '?',
        // which is no hex digit.
        byte[] ascii = key.getBytes(StandardCharsets.ISO_8859_1);
        long a = eight(ascii, 0);
        long aLow = eight(ascii, 8);
        long b = eight(ascii, 16);
        long bLow = eight(ascii, 24);
        long c = eight(ascii, 32);
        long cLow = eight(ascii, 40);
        long d = eight(ascii, 48);
        long dLow = eight(ascii, 56);
        // Each half is below 2^32, or -1 when its characters are not all lower-case hex digits.
        if ((a | aLow | b | bLow | c | cLow | d | dLow) >= 0) {
          return new HexSlot(
              a << 32 | aLow, b << 32 | bLow, c << 32 | cLow, d << 32 | dLow, bytes, expires, used);
        }
      }
      return new TextSlot(
          key, bytes, expires, used); // kept as the string: it reads back as written
    }

    /**
     * Returns a slot that only serves to find the slot of {@code key}; it reads no clock, as it is
     * never stored.
     */
    static Slot probe(String key) {
      return of(key, NO_BYTES, null, 0);
    }

    /** The key as the caller wrote it. */
    abstract String key();

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

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Returns the value of the eight lower-case hex digits at {@code at} of {@code ascii}, the first
   * the most significant, or -1 when any of them is not one. All eight are read as one long, each
   * byte a lane: a digit's value is its low four bits, plus 9 for a letter ({@code 0x40} set). The
   * value is accepted only when it is below 16 and spells the same character again, which holds for
   * {@code 0-9} and {@code a-f} alone.
   */
  static long eight(byte[] ascii, int at) {
    long chars = (long) LONGS.get(ascii, at);
    long value =
        (chars & 0x0F0F0F0F0F0F0F0FL)
            + ((chars >>> 6) & 0x0101010101010101L) * 9; // each lane 0..24
    long letters =
        ((value + 0x7676767676767676L) & 0x8080808080808080L)
            >>> 7; // 1 where the value is 10 or more
    long spelled = value + 0x3030303030303030L + letters * 0x27; // '0' + value, or 'a' + value - 10
    if (spelled != chars || ((value + 0x7070707070707070L) & 0x8080808080808080L) != 0) {
      return -1;
    }
    // The lanes' nibbles into one number, the first character's the highest.
    long pairs = (value & 0x0F000F000F000F00L) >>> 8 | (value & 0x000F000F000F000FL) << 4;
    long quads = (pairs & 0x000000FF000000FFL) << 8 | (pairs & 0x00FF000000FF0000L) >>> 16;
    return (quads & 0xFFFF) << 16 | (quads >>> 32) & 0xFFFF;
  }

  /** The slot of a key of 64 lower-case hex digits: its 32 bytes in four longs. */
  private static final class HexSlot extends Slot {
    private static final HexFormat HEX = HexFormat.of();

    final long a;
    final long b;
    final long c;
    final long d;

    HexSlot(long a, long b, long c, long d, byte[] bytes, @Nullable Instant expires, long used) {
      super(bytes, expires, used);
      this.a = a;
      this.b = b;
      this.c = c;
      this.d = d;
    }

    @Override
    String key() {
      return HEX.toHexDigits(a) + HEX.toHexDigits(b) + HEX.toHexDigits(c) + HEX.toHexDigits(d);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof HexSlot)) {
        return false;
      }
      HexSlot k = (HexSlot) o;
      return a == k.a && b == k.b && c == k.c && d == k.d;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(a ^ c) * 31 + Long.hashCode(b ^ d);
    }
  }

  /** The slot of any other key: the key's string. */
  private static final class TextSlot extends Slot {
    final String text;

    TextSlot(String text, byte[] bytes, @Nullable Instant expires, long used) {
      super(bytes, expires, used);
      this.text = text;
    }

    @Override
    String key() {
      return text;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof TextSlot && ((TextSlot) o).text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }
  }

  private final List<ConcurrentHashMap<Slot, Slot>> maps =
      List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  private final List<AtomicLong> totals = List.of(new AtomicLong(), new AtomicLong());
  private final ReentrantLock evicting = new ReentrantLock();
  private volatile boolean closed;

  private ConcurrentHashMap<Slot, Slot> map(Namespace namespace) {
    if (closed) {
      throw new IllegalStateException("the memory storage is closed");
    }
    return maps.get(namespace.ordinal());
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) {
    Slot slot = map(namespace).get(Slot.probe(key));
    if (slot == null) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (now - slot.used > USE_RESOLUTION_NANOS) {
      // Written at most once a millisecond: threads hitting one entry then share its cache line
      // for reading instead of taking it from each other on every hit.
      slot.used = now;
    }
    return Optional.of(slot.bytes); // never modified: a put stores a new array
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires) {
    Slot slot = Slot.of(key, value.clone(), expires, System.nanoTime());
    ConcurrentHashMap<Slot, Slot> map = map(namespace);
    AtomicLong total = totals.get(namespace.ordinal());
    // Insert only into an empty place, so that the node's key is this slot; a reader between the
    // removal and the insertion sees a miss.
    while (map.putIfAbsent(slot, slot) != null) {
      Slot old = map.remove(slot);
      if (old != null) {
        total.addAndGet(-old.bytes.length);
      }
    }
    total.addAndGet(slot.bytes.length);
  }

  @Override
  public boolean remove(Namespace namespace, String key) {
    Slot old = map(namespace).remove(Slot.probe(key));
    if (old == null) {
      return false;
    }
    totals.get(namespace.ordinal()).addAndGet(-old.bytes.length);
    return true;
  }

  /** Removes {@code slot} only while it is still the key's slot, so a newer write survives. */
  private boolean remove(Namespace namespace, Slot slot) {
    boolean[] removed = {false};
    map(namespace)
        .computeIfPresent(
            slot,
            (k, current) -> {
              if (current != slot) {
                return current;
              }
              removed[0] = true;
              return null;
            });
    if (removed[0]) {
      totals.get(namespace.ordinal()).addAndGet(-slot.bytes.length);
    }
    return removed[0];
  }

  @Override
  public List<String> keys(Namespace namespace) {
    List<String> keys = new ArrayList<>(map(namespace).size());
    for (Slot slot : map(namespace).keySet()) {
      keys.add(slot.key());
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
    ConcurrentHashMap<Slot, Slot> map = map(namespace);
    // The pass goes over the slots present when it starts, not over the live map: a put replaces a
    // key's node with a new one at the end of its hash bin, where an iterator of the map meets it
    // again, so a pass that rewrites what it meets (resetExpiration) could go round for ever. Each
    // key is given as it is when the pass reaches it; one removed meanwhile is skipped.
    Slot[] slots = map.keySet().toArray(new Slot[0]);
    return new Cursor() {
      private int next;

      @Override
      public Optional<Item> next() {
        while (!closed && next < slots.length) {
          Slot slot = map.get(slots[next++]);
          if (slot != null) {
            return Optional.of(new Item(slot.key(), slot.bytes.length, slot.expires()));
          }
        }
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) {
    long removed = 0;
    long nowMillis = Slot.millis(now);
    for (Slot slot : map(namespace).keySet()) {
      if (slot.expiredAt(nowMillis) && remove(namespace, slot)) {
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
    ConcurrentHashMap<Slot, Slot> map = map(Namespace.RESPONSES);
    AtomicLong bytes = totals.get(Namespace.RESPONSES.ordinal());
    if (map.size() <= maxEntries && bytes.get() <= maxBytes) {
      return List.of();
    }
    evicting.lock();
    try {
      if (map.size() <= maxEntries && bytes.get() <= maxBytes) {
        return List.of(); // another thread trimmed while this one waited
      }
      Slot[] byUse = map.keySet().toArray(new Slot[0]);
      Arrays.sort(byUse, Comparator.comparingLong(slot -> slot.used));
      long entryTarget = Eviction.target(maxEntries);
      long byteTarget = Eviction.target(maxBytes);
      List<String> removed = new ArrayList<>();
      for (Slot oldest : byUse) {
        if (map.size() <= entryTarget && bytes.get() <= byteTarget) {
          break;
        }
        if (remove(Namespace.RESPONSES, oldest)) {
          removed.add(oldest.key());
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
      for (Slot slot : map(namespace).keySet()) {
        remove(namespace, slot);
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
