package dev.httpcache.codec;

import dev.httpcache.model.CachedResponse;
import java.io.IOException;

/**
 * Turns a cached response into the bytes a storage keeps, and back.
 *
 * <p>Every decoder treats its input as hostile: it checks the format, bounds every length, and
 * fails with a {@link CodecException} rather than an exception from deep inside; it never uses Java
 * object serialization. The cache key is passed to both directions so that a codec can bind an
 * entry to its key (a signing codec does).
 *
 * <p>Implementations are immutable and thread-safe. The stock codec is {@link #binary()}.
 */
public interface Codec {

  /**
   * Returns a short name for this codec, such as {@code binary-v1}; it identifies the format in
   * error messages and is stable across releases for as long as the format is.
   */
  String name();

  /**
   * Encodes {@code response}, stored under {@code key}.
   *
   * @throws IOException when the response cannot be encoded
   */
  byte[] encode(String key, CachedResponse response) throws IOException;

  /**
   * Decodes bytes that were stored under {@code key}.
   *
   * @throws CodecException when the bytes are not a valid entry of this codec
   * @throws IOException when decoding fails otherwise
   */
  CachedResponse decode(String key, byte[] data) throws IOException;

  /**
   * Returns the default codec: a compact, versioned binary format (magic bytes {@code hcb}, then a
   * format version) that needs no library and decodes in microseconds.
   */
  static Codec binary() {
    return BinaryCodec.INSTANCE;
  }
}
