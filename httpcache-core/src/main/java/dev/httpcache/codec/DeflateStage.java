package dev.httpcache.codec;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compresses entries with the JDK's deflate, where that pays.
 *
 * <pre>
 * compressed = 'h' 'c' 'z' version(1) 0 data                      (stored as it is)
 *            | 'h' 'c' 'z' version(1) 1 length(int32) deflated     (deflated)
 * </pre>
 *
 * <p>Decompression stops at the declared length, which is bounded: a "zip bomb" ends in a {@link
 * CodecException}, not in a huge allocation.
 */
final class DeflateStage implements CodecStage {
  static final DeflateStage INSTANCE = new DeflateStage();
  static final byte[] MAGIC = {'h', 'c', 'z'};
  static final int VERSION = 1;
  static final int MIN_SIZE = 256;

  /** The largest entry decompressed: far above the default body limit. */
  static final int MAX_LENGTH = 512 * 1024 * 1024;

  private DeflateStage() {}

  @Override
  public String name() {
    return "deflate";
  }

  @Override
  public byte[] encode(String key, byte[] data) {
    if (data.length >= MIN_SIZE) {
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      try {
        deflater.setInput(data);
        deflater.finish();
        // Worth it only when it saves at least an eighth.
        int budget = data.length - data.length / 8;
        byte[] out = new byte[9 + budget];
        int n = deflater.deflate(out, 9, budget);
        if (deflater.finished()) {
          writeHeader(out, 1);
          out[5] = (byte) (data.length >>> 24);
          out[6] = (byte) (data.length >>> 16);
          out[7] = (byte) (data.length >>> 8);
          out[8] = (byte) data.length;
          return java.util.Arrays.copyOf(out, 9 + n);
        }
      } finally {
        deflater.end();
      }
    }
    byte[] out = new byte[5 + data.length];
    writeHeader(out, 0);
    System.arraycopy(data, 0, out, 5, data.length);
    return out;
  }

  private static void writeHeader(byte[] out, int method) {
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[3] = VERSION;
    out[4] = (byte) method;
  }

  @Override
  public byte[] decode(String key, byte[] data) throws CodecException {
    if (data.length < 5 || data[0] != 'h' || data[1] != 'c' || data[2] != 'z') {
      throw new CodecException("not a compressed entry");
    }
    if (data[3] != VERSION) {
      throw new CodecException("unsupported compression version " + data[3]);
    }
    if (data[4] == 0) {
      return java.util.Arrays.copyOfRange(data, 5, data.length);
    }
    if (data[4] != 1 || data.length < 9) {
      throw new CodecException("malformed compressed entry");
    }
    int length =
        ((data[5] & 0xFF) << 24)
            | ((data[6] & 0xFF) << 16)
            | ((data[7] & 0xFF) << 8)
            | (data[8] & 0xFF);
    if (length < 0 || length > MAX_LENGTH) {
      throw new CodecException("compressed entry declares an absurd length " + length);
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, 9, data.length - 9);
      // Grow as the data really inflates, so a lying length costs nothing up front.
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, 64 * 1024));
      byte[] chunk = new byte[Math.min(Math.max(length, 1), 64 * 1024)];
      int total = 0;
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk, 0, Math.min(chunk.length, length - total + 1));
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new CodecException("truncated compressed entry");
        }
        total += n;
        if (total > length) {
          throw new CodecException("compressed entry inflates past its declared length");
        }
        out.write(chunk, 0, n);
      }
      if (total != length || inflater.getRemaining() != 0) {
        throw new CodecException("compressed entry does not match its declared length");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new CodecException("corrupt compressed entry", e);
    } finally {
      inflater.end();
    }
  }

  @Override
  public String toString() {
    return "DeflateStage";
  }
}
