package dev.httpcache.codec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs entries with HMAC-SHA256.
 *
 * <pre>
 * signed = 'h' 'c' 's' version(1) key-id(4) mac(32) payload
 * mac    = HMAC-SHA256(derived key, "httpcache-signed-entry" length(cache key)(4) cache key payload)
 * </pre>
 *
 * <p>The cache key is under the MAC, so an entry copied under another key fails too.
 */
final class SigningStage implements CodecStage {
  static final byte[] MAGIC = {'h', 'c', 's'};
  static final int VERSION = 1;
  static final int ID_LENGTH = 4;
  static final int MAC_LENGTH = 32;
  static final int HEADER = MAGIC.length + 1 + ID_LENGTH + MAC_LENGTH;
  private static final String PURPOSE = "httpcache/hmac-sha256/v1";
  private static final byte[] LABEL = "httpcache-signed-entry".getBytes(StandardCharsets.US_ASCII);

  private final SecretKeys keys;

  SigningStage(SecretKeys keys) {
    this.keys = java.util.Objects.requireNonNull(keys, "keys");
  }

  @Override
  public String name() {
    return "hmac-sha256";
  }

  @Override
  public boolean authenticates() {
    return true;
  }

  @Override
  public byte[] encode(String key, byte[] data) {
    SecretKeys.Key signer = keys.newest();
    byte[] out = new byte[HEADER + data.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[MAGIC.length] = VERSION;
    System.arraycopy(signer.id, 0, out, MAGIC.length + 1, ID_LENGTH);
    byte[] mac = mac(signer, key, data, 0, data.length);
    System.arraycopy(mac, 0, out, MAGIC.length + 1 + ID_LENGTH, MAC_LENGTH);
    System.arraycopy(data, 0, out, HEADER, data.length);
    return out;
  }

  @Override
  public byte[] decode(String key, byte[] data) throws IntegrityException {
    if (data.length < HEADER || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IntegrityException(key, "it is not a signed entry");
    }
    if (data[MAGIC.length] != VERSION) {
      throw new IntegrityException(key, "unknown signature version " + data[MAGIC.length]);
    }
    byte[] id = Arrays.copyOfRange(data, MAGIC.length + 1, MAGIC.length + 1 + ID_LENGTH);
    byte[] mac = Arrays.copyOfRange(data, MAGIC.length + 1 + ID_LENGTH, HEADER);
    java.util.List<SecretKeys.Key> candidates = keys.withId(id);
    if (candidates.isEmpty()) {
      throw new IntegrityException(
          key, "it was signed with a key this cache does not hold (id " + hex(id) + ")");
    }
    for (SecretKeys.Key candidate : candidates) {
      if (MessageDigest.isEqual(mac, mac(candidate, key, data, HEADER, data.length - HEADER))) {
        return Arrays.copyOfRange(data, HEADER, data.length);
      }
    }
    throw new IntegrityException(key, "its signature does not match");
  }

  private static byte[] mac(
      SecretKeys.Key signer, String key, byte[] data, int offset, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signer.derive(PURPOSE), "HmacSHA256"));
      byte[] cacheKey = key.getBytes(StandardCharsets.UTF_8);
      mac.update(LABEL);
      mac.update(
          new byte[] {
            (byte) (cacheKey.length >>> 24),
            (byte) (cacheKey.length >>> 16),
            (byte) (cacheKey.length >>> 8),
            (byte) cacheKey.length
          });
      mac.update(cacheKey);
      mac.update(data, offset, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  static String hex(byte[] id) {
    return java.util.HexFormat.of().formatHex(id);
  }

  @Override
  public String toString() {
    return "SigningStage" + keys;
  }
}
