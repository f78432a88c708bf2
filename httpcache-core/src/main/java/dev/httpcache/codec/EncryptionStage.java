package dev.httpcache.codec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts entries with AES-256-GCM.
 *
 * <pre>
 * encrypted = 'h' 'c' 'e' version(1) key-id(4) nonce(12) ciphertext-and-tag
 * associated data = "httpcache-encrypted-entry" version key-id length(cache key)(4) cache key
 * </pre>
 *
 * <p>Each entry gets a fresh random 96-bit nonce; the 128-bit tag authenticates the ciphertext, the
 * key identifier and the cache key, so a changed entry, or one moved under another key, fails.
 */
final class EncryptionStage implements CodecStage {
  static final byte[] MAGIC = {'h', 'c', 'e'};
  static final int VERSION = 1;
  static final int ID_LENGTH = 4;
  static final int NONCE_LENGTH = 12;
  static final int TAG_BITS = 128;
  static final int HEADER = MAGIC.length + 1 + ID_LENGTH + NONCE_LENGTH;
  private static final String PURPOSE = "httpcache/aes-256-gcm/v1";
  private static final byte[] LABEL =
      "httpcache-encrypted-entry".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeys keys;

  EncryptionStage(SecretKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @Override
  public String name() {
    return "aes-256-gcm";
  }

  @Override
  public boolean authenticates() {
    return true;
  }

  @Override
  public byte[] encode(String key, byte[] data) {
    SecretKeys.Key encrypter = keys.newest();
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, encrypter, nonce, key);
      byte[] out = new byte[HEADER + cipher.getOutputSize(data.length)];
      System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
      out[MAGIC.length] = VERSION;
      System.arraycopy(encrypter.id, 0, out, MAGIC.length + 1, ID_LENGTH);
      System.arraycopy(nonce, 0, out, MAGIC.length + 1 + ID_LENGTH, NONCE_LENGTH);
      int written = cipher.doFinal(data, 0, data.length, out, HEADER);
      return written == out.length - HEADER ? out : Arrays.copyOf(out, HEADER + written);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is required of every Java platform", e);
    }
  }

  @Override
  public byte[] decode(String key, byte[] data) throws IntegrityException {
    if (data.length < HEADER + TAG_BITS / 8
        || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IntegrityException(key, "it is not an encrypted entry");
    }
    if (data[MAGIC.length] != VERSION) {
      throw new IntegrityException(key, "unknown encryption version " + data[MAGIC.length]);
    }
    byte[] id = Arrays.copyOfRange(data, MAGIC.length + 1, MAGIC.length + 1 + ID_LENGTH);
    byte[] nonce = Arrays.copyOfRange(data, MAGIC.length + 1 + ID_LENGTH, HEADER);
    List<SecretKeys.Key> candidates = keys.withId(id);
    if (candidates.isEmpty()) {
      throw new IntegrityException(
          key,
          "it was encrypted with a key this cache does not hold (id " + SigningStage.hex(id) + ")");
    }
    for (SecretKeys.Key candidate : candidates) {
      try {
        return cipher(Cipher.DECRYPT_MODE, candidate, nonce, key)
            .doFinal(data, HEADER, data.length - HEADER);
      } catch (AEADBadTagException e) {
        // Another key with the same identifier may still fit.
      } catch (GeneralSecurityException e) {
        throw new IntegrityException(key, "it cannot be decrypted", e);
      }
    }
    throw new IntegrityException(key, "its ciphertext or associated data was changed");
  }

  private static Cipher cipher(int mode, SecretKeys.Key key, byte[] nonce, String cacheKey)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        mode, new SecretKeySpec(key.derive(PURPOSE), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    byte[] k = cacheKey.getBytes(StandardCharsets.UTF_8);
    cipher.updateAAD(LABEL);
    cipher.updateAAD(new byte[] {VERSION});
    cipher.updateAAD(key.id);
    cipher.updateAAD(
        new byte[] {
          (byte) (k.length >>> 24),
          (byte) (k.length >>> 16),
          (byte) (k.length >>> 8),
          (byte) k.length
        });
    cipher.updateAAD(k);
    return cipher;
  }

  @Override
  public String toString() {
    return "EncryptionStage" + keys;
  }
}
