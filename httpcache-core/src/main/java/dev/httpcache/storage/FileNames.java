package dev.httpcache.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the {@linkplain FilesystemStorage filesystem storage} turns a key into a file name and back.
 *
 * <ul>
 *   <li>A key of 1 to {@value #MAX_PLAIN_KEY} characters from {@code a-z 0-9 _ -} is its own base
 *       name (the engine's keys, 64 hex digits, are), unless it is a device name of Windows ({@code
 *       con}, {@code nul}, {@code com1} and the like).
 *   <li>Any other key is {@code ~} followed by the base32 (RFC 4648 alphabet in lower case, no
 *       padding) of its UTF-8 bytes, which fits the {@value #MAX_BASE_NAME}-character limit of a
 *       base name up to {@value #MAX_ENCODED_KEY_BYTES} bytes. Longer keys, and strings that are
 *       not well-formed Unicode, have no file name.
 * </ul>
 *
 * <p>No name holds an upper-case letter, a dot, a slash or a character that a filesystem treats
 * specially, so two keys never share a file, even on a filesystem that ignores case (macOS and
 * Windows by default), and no name leads out of its folder. Each key has exactly one name; a name
 * that is not the one its key would get (a file made by hand, say) is not an entry.
 *
 * <p>A key's shard is the first byte of the SHA-256 of its UTF-8, as two lower-case hex digits.
 */
final class FileNames {
  /** The longest key that is its own base name. */
  static final int MAX_PLAIN_KEY = 128;

  /** The longest base name; with its extension a file name stays far below 255 bytes. */
  static final int MAX_BASE_NAME = 200;

  /** The most UTF-8 bytes of a key that is encoded: 199 base32 characters hold 124 bytes. */
  static final int MAX_ENCODED_KEY_BYTES = (MAX_BASE_NAME - 1) * 5 / 8;

  /** What starts the base name of an encoded key. */
  static final char ENCODED = '~';

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Names that Windows reserves for devices, with any extension. */
  private static final Set<String> DEVICES = devices();

  private FileNames() {}

  private static Set<String> devices() {
    String[] names = new String[24];
    names[0] = "con";
    names[1] = "prn";
    names[2] = "aux";
    names[3] = "nul";
    for (int i = 0; i < 10; i++) {
      names[4 + i] = "com" + i;
      names[14 + i] = "lpt" + i;
    }
    return Set.of(names);
  }

  /**
   * Returns the base name of {@code key}.
   *
   * @throws IOException when the key is too long for a file name or is not well-formed Unicode
   */
  static String base(String key) throws IOException {
    if (isPlain(key)) {
      return key;
    }
    byte[] utf8 = utf8(key);
    if (utf8 == null) {
      throw new IOException(
          "the filesystem storage cannot store a key that is not well-formed Unicode");
    }
    if (utf8.length > MAX_ENCODED_KEY_BYTES) {
      throw new IOException(
          "key too long for the filesystem storage: "
              + utf8.length
              + " UTF-8 bytes; it takes keys of up to "
              + MAX_PLAIN_KEY
              + " characters of a-z, 0-9, '_' and '-', and other keys of up to "
              + MAX_ENCODED_KEY_BYTES
              + " UTF-8 bytes");
    }
    return ENCODED + base32(utf8);
  }

  /** Returns the base name of {@code key}, or null when it has none (so it cannot be stored). */
  static @Nullable String baseOrNull(String key) {
    if (isPlain(key)) {
      return key;
    }
    byte[] utf8 = utf8(key);
    return utf8 == null || utf8.length > MAX_ENCODED_KEY_BYTES ? null : ENCODED + base32(utf8);
  }

  /** Returns the key whose base name is {@code base}, or null when no key has that name. */
  static @Nullable String key(String base) {
    if (base.isEmpty() || base.charAt(0) != ENCODED) {
      return isPlain(base) ? base : null;
    }
    if (base.length() > MAX_BASE_NAME) {
      return null;
    }
    byte[] bytes = unbase32(base, 1);
    if (bytes == null) {
      return null;
    }
    String key = fromUtf8(bytes);
    // Only the name the key would get is its name: a plain key spelled encoded, or an encoding
    // with stray trailing bits, is not.
    return key != null && base.equals(baseOrNull(key)) ? key : null;
  }

  /** Returns the shard of {@code key}: two hex digits of its SHA-256. */
  static String shard(String key) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    int first = sha256.digest(key.getBytes(StandardCharsets.UTF_8))[0] & 0xFF;
    return new String(new char[] {HEX[first >>> 4], HEX[first & 0xF]});
  }

  /** Returns the name of shard {@code index} (0 to 255). */
  static String shard(int index) {
    return new String(new char[] {HEX[index >>> 4], HEX[index & 0xF]});
  }

  private static boolean isPlain(String key) {
    int n = key.length();
    if (n == 0 || n > MAX_PLAIN_KEY) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return n > 4 || !DEVICES.contains(key);
  }

  /** Returns the UTF-8 of {@code key}, or null when it holds a lone surrogate. */
  private static byte @Nullable [] utf8(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return null;
      }
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static @Nullable String fromUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out.append(BASE32[(buffer >>> bits) & 31]);
      }
    }
    if (bits > 0) {
      out.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  /** Decodes base32 from {@code start}; null on a character outside the alphabet. */
  private static byte @Nullable [] unbase32(String text, int start) {
    byte[] out = new byte[(text.length() - start) * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      int value;
      if (c >= 'a' && c <= 'z') {
        value = c - 'a';
      } else if (c >= '2' && c <= '7') {
        value = c - '2' + 26;
      } else {
        return null;
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (buffer >>> bits);
      }
    }
    return out;
  }
}
