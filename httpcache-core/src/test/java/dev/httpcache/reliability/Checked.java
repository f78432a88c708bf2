package dev.httpcache.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Self-checking values for the tests of several processes and of crashes: a header naming the key,
 * the writer and the length, then payload bytes, then the SHA-256 of both. A value that was torn
 * (cut short, or mixed with another write) or crossed (stored under another key) fails {@link
 * #problem}.
 *
 * <pre>
 * value = "hcrel|" key "|" writer "|" length "|" payload(length bytes) sha256(everything before)
 * </pre>
 */
final class Checked {
  private static final byte[] MAGIC = "hcrel|".getBytes(US_ASCII);

  private Checked() {}

  /**
   * Makes a value for {@code key}, written by {@code writer}, with a payload drawn from {@code
   * random}.
   */
  static byte[] value(String key, String writer, int length, Random random) {
    byte[] head = ("hcrel|" + key + "|" + writer + "|" + length + "|").getBytes(US_ASCII);
    byte[] value = new byte[head.length + length + 32];
    System.arraycopy(head, 0, value, 0, head.length);
    byte[] payload = new byte[length];
    random.nextBytes(payload);
    System.arraycopy(payload, 0, value, head.length, length);
    byte[] digest = sha256(value, head.length + length);
    System.arraycopy(digest, 0, value, head.length + length, 32);
    return value;
  }

  /**
   * Returns what is wrong with {@code value} as a value of {@code key}, or null when nothing is.
   */
  static @Nullable String problem(String key, byte[] value) {
    if (value.length < MAGIC.length + 32
        || !Arrays.equals(value, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return "not a value (" + value.length + " bytes)";
    }
    // The header: magic, then three fields ended by '|'.
    int at = MAGIC.length;
    String[] fields = new String[3];
    for (int f = 0; f < 3; f++) {
      int end = at;
      while (end < value.length && end - at < 300 && value[end] != '|') {
        end++;
      }
      if (end >= value.length || value[end] != '|') {
        return "a torn header";
      }
      fields[f] = new String(value, at, end - at, US_ASCII);
      at = end + 1;
    }
    if (!fields[0].equals(key)) {
      return "the value of key " + fields[0];
    }
    int length;
    try {
      length = Integer.parseInt(fields[2]);
    } catch (NumberFormatException e) {
      return "a torn length";
    }
    if (value.length != at + length + 32) {
      return "torn: " + value.length + " bytes where the header says " + (at + length + 32);
    }
    byte[] digest = sha256(value, at + length);
    if (!Arrays.equals(value, at + length, value.length, digest, 0, 32)) {
      return "torn: the checksum does not match (writer " + fields[1] + ")";
    }
    return null;
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
