package dev.httpcache;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The frame around every stored entry, which says which codec wrote it, so that changing codecs
 * never misreads an old entry.
 *
 * <pre>
 * frame = 'h' 'c' 'f' version(1) length(1) codec-name(ASCII) payload
 * </pre>
 */
final class Entries {
  private static final byte[] MAGIC = {'h', 'c', 'f'};
  private static final int VERSION = 1;

  private Entries() {}

  /** An entry in a valid frame that another codec wrote: a miss, never an integrity failure. */
  static final class ForeignEntryException extends CodecException {
    private static final long serialVersionUID = 1L;

    ForeignEntryException(String message) {
      super(message);
    }
  }

  static byte[] frame(String codecName, byte[] payload) {
    byte[] name = codecName.getBytes(StandardCharsets.US_ASCII);
    if (name.length > 255) {
      throw new IllegalArgumentException("codec name over 255 characters: " + codecName);
    }
    byte[] out = new byte[MAGIC.length + 2 + name.length + payload.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[3] = VERSION;
    out[4] = (byte) name.length;
    System.arraycopy(name, 0, out, 5, name.length);
    System.arraycopy(payload, 0, out, 5 + name.length, payload.length);
    return out;
  }

  /**
   * Returns the payload of a framed entry that {@code codec} wrote, or an earlier version of it
   * that it {@linkplain Codec#reads reads}.
   *
   * @throws ForeignEntryException when the entry is framed but another codec wrote it
   * @throws CodecException when the bytes are not a framed entry at all
   */
  static byte[] unframe(Codec codec, byte[] data) throws CodecException {
    String codecName = codec.name();
    if (data.length < 5 || !Arrays.equals(data, 0, 3, MAGIC, 0, 3)) {
      throw new CodecException("not a cache entry (no entry frame)");
    }
    if (data[3] != VERSION) {
      throw new ForeignEntryException("entry frame of unknown version " + data[3]);
    }
    int length = data[4] & 0xFF;
    if (data.length < 5 + length) {
      throw new CodecException("truncated entry frame");
    }
    byte[] name = codecName.getBytes(StandardCharsets.US_ASCII);
    if (!Arrays.equals(data, 5, 5 + length, name, 0, name.length)
        && !codec.reads(new String(data, 5, length, StandardCharsets.US_ASCII))) {
      throw new ForeignEntryException(
          "written by codec "
              + printable(new String(data, 5, length, StandardCharsets.US_ASCII))
              + ", not "
              + codecName);
    }
    return Arrays.copyOfRange(data, 5 + length, data.length);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return out.toString();
  }
}
