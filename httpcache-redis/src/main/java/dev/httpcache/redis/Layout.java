package dev.httpcache.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a namespace lays its values out in Redis: key names, the alias hash, and the small header
 * that carries each value's expiry time in front of its bytes.
 *
 * <p>Keys: a response under cache key {@code k} is the Redis string {@code <namespace>:r:<k>}; the
 * redirect aliases of the namespace are the fields of one hash, {@code <namespace>:redirects}. Both
 * are UTF-8.
 *
 * <p>Values: {@value #HEADER_LENGTH} bytes of header, then the value exactly as the engine gave it.
 * The header is the magic {@code h c r}, a layout version (1), the expiry as epoch seconds (8
 * bytes, big-endian) and nanoseconds (4 bytes); nanoseconds of {@code -1} mean "never expires". The
 * header keeps the exact expiry readable by a scan, whatever time-to-live Redis was given.
 */
final class Layout {
  static final int HEADER_LENGTH = 16;
  static final byte VERSION = 1;
  private static final byte[] MAGIC = {'h', 'c', 'r', VERSION};
  private static final int NEVER = -1;

  /**
   * Namespaces are plain names, so that no namespace's keys match another's pattern ({@code a:r:*}
   * would match the keys of a namespace {@code a:r}) and no glob character reaches SCAN's MATCH.
   */
  static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /** Longer than this, a time-to-live is not set at all: Redis refuses very distant expiry. */
  static final Duration LONGEST_TTL = Duration.ofDays(365L * 100);

  private final String namespace;
  private final String responsePrefix;
  private final byte[] responsePattern;
  private final byte[] redirects;

  Layout(String namespace) {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace must be 1 to 100 letters, digits, '.', '_' or '-': " + namespace);
    }
    this.namespace = namespace;
    this.responsePrefix = namespace + ":r:";
    this.responsePattern = (responsePrefix + "*").getBytes(StandardCharsets.UTF_8);
    this.redirects = (namespace + ":redirects").getBytes(StandardCharsets.UTF_8);
  }

  String namespace() {
    return namespace;
  }

  /** The Redis key of the response under {@code key}. */
  byte[] responseKey(String key) {
    return (responsePrefix + key).getBytes(StandardCharsets.UTF_8);
  }

  /** The cache key of a Redis key that SCAN found with {@link #responsePattern()}. */
  String cacheKey(byte[] redisKey) {
    String name = new String(redisKey, StandardCharsets.UTF_8);
    return name.startsWith(responsePrefix) ? name.substring(responsePrefix.length()) : name;
  }

  /** The MATCH pattern of every response key of the namespace. */
  byte[] responsePattern() {
    return responsePattern.clone();
  }

  /** The Redis key of the alias hash. */
  byte[] redirectsKey() {
    return redirects.clone();
  }

  static byte[] field(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  static String fieldName(byte[] field) {
    return new String(field, StandardCharsets.UTF_8);
  }

  /** Returns the header followed by {@code value}. */
  static byte[] wrap(byte[] value, @Nullable Instant expires) {
    byte[] stored = new byte[HEADER_LENGTH + value.length];
    ByteBuffer.wrap(stored)
        .put(MAGIC)
        .putLong(expires == null ? 0 : expires.getEpochSecond())
        .putInt(expires == null ? NEVER : expires.getNano());
    System.arraycopy(value, 0, stored, HEADER_LENGTH, value.length);
    return stored;
  }

  /** Whether {@code stored} starts with a header of this layout. */
  static boolean isEntry(byte @Nullable [] stored) {
    return stored != null
        && stored.length >= HEADER_LENGTH
        && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** Returns the value behind the header; {@code stored} must be an {@linkplain #isEntry entry}. */
  static byte[] unwrap(byte[] stored) {
    return Arrays.copyOfRange(stored, HEADER_LENGTH, stored.length);
  }

  /**
   * Returns the expiry in the header of {@code stored} (which may be the header alone), or null for
   * never; {@code stored} must be an {@linkplain #isEntry entry}.
   */
  static @Nullable Instant expires(byte[] stored) {
    ByteBuffer buffer = ByteBuffer.wrap(stored, MAGIC.length, HEADER_LENGTH - MAGIC.length);
    long seconds = buffer.getLong();
    int nanos = buffer.getInt();
    return nanos == NEVER ? null : Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * The time-to-live of a value written at {@code now}: until its expiry plus {@code offset}, or
   * {@code offset} alone when it has already expired; null (no time-to-live) when it never expires
   * or expires more than {@link #LONGEST_TTL} away. Never less than a millisecond.
   */
  static @Nullable Duration ttl(@Nullable Instant expires, Instant now, Duration offset) {
    if (expires == null) {
      return null;
    }
    Duration fresh = Duration.between(now, expires);
    Duration ttl = (fresh.isNegative() ? Duration.ZERO : fresh).plus(offset);
    if (ttl.compareTo(LONGEST_TTL) > 0) {
      return null;
    }
    return ttl.toMillis() < 1 ? Duration.ofMillis(1) : ttl;
  }
}
