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
 * <p>Implementations are immutable and thread-safe. The stock codec is {@link #binary()}; {@link
 * #pipeline} adds {@link CodecStage stages} (compression, signing, encryption) after a base codec.
 * The cache stores each entry with its codec's {@link #name()}, so that an entry written by another
 * codec is a miss, never misread.
 *
 * <pre>{@code
 * SecretKeys keys = SecretKeys.fromEnvironment("HTTPCACHE_SECRET_KEY");
 * Codec signed = Codec.signed(keys);       // binary, then HMAC-SHA256
 * Codec sealed = Codec.encrypted(keys);    // binary, compressed, then AES-256-GCM
 * Codec custom = Codec.pipeline(Codec.binary(), CodecStage.compressed(), CodecStage.signed(keys));
 * }</pre>
 */
public interface Codec {

  /**
   * Returns a short name for this codec, such as {@code binary-v2}; it identifies the format in
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
   * Whether this codec decodes entries framed with {@code codecName}: its own {@link #name()}, and
   * the names of earlier versions of its format that it still reads. An entry framed with another
   * name is another codec's: a miss, left alone. By default the codec's own name only.
   */
  default boolean reads(String codecName) {
    return name().equals(codecName);
  }

  /**
   * Whether this codec detects tampering (it signs or encrypts entries). Under such a codec an
   * entry that cannot be read is an integrity failure, not a miss. By default false.
   */
  default boolean authenticates() {
    return false;
  }

  /**
   * Returns a codec that encodes with {@code base}, then with each stage in order, and decodes in
   * reverse. Its name is the names joined by {@code +}, such as {@code
   * binary-v2+deflate+hmac-sha256}.
   */
  static Codec pipeline(Codec base, CodecStage... stages) {
    java.util.Objects.requireNonNull(base, "base");
    return new PipelineCodec(base, java.util.List.of(stages));
  }

  /** Returns the binary codec with every entry signed by {@link CodecStage#signed}. */
  static Codec signed(SecretKeys keys) {
    return pipeline(binary(), CodecStage.signed(keys));
  }

  /**
   * Returns the binary codec with every entry compressed where that pays, then encrypted by {@link
   * CodecStage#encrypted}.
   */
  static Codec encrypted(SecretKeys keys) {
    return pipeline(binary(), CodecStage.compressed(), CodecStage.encrypted(keys));
  }

  /**
   * Returns the default codec: a compact, versioned binary format (magic bytes {@code hcb}, then a
   * format version) that needs no library and decodes in microseconds.
   */
  static Codec binary() {
    return BinaryCodec.INSTANCE;
  }
}
