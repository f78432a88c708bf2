package dev.httpcache.codec;

import java.io.IOException;

/**
 * One byte-to-byte step of a codec pipeline: compression, signing, encryption, or a stage of your
 * own. A pipeline encodes with its stages in order and decodes with them in reverse, as
 * requests-cache's {@code SerializerPipeline} does.
 *
 * <pre>{@code
 * SecretKeys keys = SecretKeys.fromEnvironment("HTTPCACHE_SECRET_KEY");
 * Codec codec = Codec.pipeline(Codec.binary(), CodecStage.compressed(), CodecStage.signed(keys));
 * }</pre>
 *
 * <p>A stage's decoder treats its input as hostile: it bounds every length it reads and fails with
 * a {@link CodecException}, or with an {@link IntegrityException} when it proves the input was
 * tampered with. The cache key is passed both ways so that a stage can bind an entry to its key.
 * Implementations are immutable and thread-safe.
 */
public interface CodecStage {
  /**
   * Returns a short, stable name, such as {@code deflate}; it becomes part of the pipeline's name,
   * which every stored entry carries.
   */
  String name();

  /**
   * Whether this stage detects tampering (a signature or an authenticated cipher); a pipeline with
   * such a stage raises an {@link IntegrityException} for an entry it cannot read.
   */
  default boolean authenticates() {
    return false;
  }

  /**
   * Transforms {@code data}, the output of the stages before this one, for the entry under {@code
   * key}.
   *
   * @throws IOException when the data cannot be transformed
   */
  byte[] encode(String key, byte[] data) throws IOException;

  /**
   * Reverses {@link #encode}.
   *
   * @throws IntegrityException when the data was provably tampered with
   * @throws CodecException when the data is not valid output of this stage
   */
  byte[] decode(String key, byte[] data) throws IOException;

  /**
   * Returns a stage that compresses with the JDK's deflate where that pays: data under 256 bytes,
   * or that does not shrink by at least an eighth, is stored as it is behind a one-byte flag.
   */
  static CodecStage compressed() {
    return DeflateStage.INSTANCE;
  }

  /**
   * Returns a stage that signs each entry with HMAC-SHA256 over the entry and its cache key, with
   * the newest of {@code keys}, and verifies with any of them (key rotation). An entry whose
   * signature does not verify, or that was moved under another key, fails with an {@link
   * IntegrityException}.
   */
  static CodecStage signed(SecretKeys keys) {
    return new SigningStage(keys);
  }

  /**
   * Returns a stage that encrypts each entry with AES-256-GCM under the newest of {@code keys}, a
   * fresh random nonce per entry and the cache key as associated data, and decrypts with any of
   * them. An encrypted entry reveals nothing of its URL, headers or body; one that was changed or
   * moved under another key fails with an {@link IntegrityException}.
   */
  static CodecStage encrypted(SecretKeys keys) {
    return new EncryptionStage(keys);
  }
}
