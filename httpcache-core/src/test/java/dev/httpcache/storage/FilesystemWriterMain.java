package dev.httpcache.storage;

import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A second process for the filesystem tests: writes {@code count} entries named {@code prefix + i}
 * into a cache directory and reads each back, and between them overwrites and reads a few keys that
 * the test process overwrites too, checking that every value it reads is whole.
 */
final class FilesystemWriterMain {
  /** The keys both processes overwrite. */
  static final int SHARED_KEYS = 10;

  private static final byte[] JSON_FRAME = {'h', 'c', 'f', 1, 7, 'j', 's', 'o', 'n', '-', 'v', '1'};

  private FilesystemWriterMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    try (Storage storage = Storage.filesystem(dir)) {
      for (int i = 0; i < count; i++) {
        byte[] value = (prefix + i).getBytes(StandardCharsets.UTF_8);
        storage.put(Namespace.RESPONSES, prefix + i, value, null);
        if (storage.get(Namespace.RESPONSES, prefix + i).isEmpty()) {
          throw new IllegalStateException("lost " + prefix + i);
        }
        String shared = sharedKey(i);
        storage.put(Namespace.RESPONSES, shared, sharedValue(prefix, i), null);
        checkWhole(storage.get(Namespace.RESPONSES, sharedKey(i + 3)));
      }
    }
  }

  static String sharedKey(int i) {
    return "shared-" + (i % SHARED_KEYS);
  }

  /**
   * Returns a value made of one unit repeated, of a length that changes from round to round; framed
   * as a {@code json-v1} entry every other round, so that the file's extension changes too.
   */
  static byte[] sharedValue(String writer, int round) {
    String unit = writer + round + ";";
    byte[] text = unit.repeat(1 + (round * 37) % 500).getBytes(StandardCharsets.UTF_8);
    if (round % 2 == 0) {
      return text;
    }
    byte[] framed = Arrays.copyOf(JSON_FRAME, JSON_FRAME.length + text.length);
    System.arraycopy(text, 0, framed, JSON_FRAME.length, text.length);
    return framed;
  }

  /** Throws when {@code read} holds a value that is not one {@link #sharedValue} made whole. */
  static void checkWhole(Optional<byte[]> read) {
    if (read.isEmpty()) {
      return; // between a remove of the old extension and nothing: allowed
    }
    byte[] value = read.get();
    int from =
        value.length >= JSON_FRAME.length
                && Arrays.equals(value, 0, JSON_FRAME.length, JSON_FRAME, 0, JSON_FRAME.length)
            ? JSON_FRAME.length
            : 0;
    String text = new String(value, from, value.length - from, StandardCharsets.UTF_8);
    int end = text.indexOf(';');
    if (end < 0) {
      throw new IllegalStateException("a torn value: " + abbreviate(text));
    }
    String unit = text.substring(0, end + 1);
    if (text.length() % unit.length() != 0
        || !text.equals(unit.repeat(text.length() / unit.length()))) {
      throw new IllegalStateException("a torn value: " + abbreviate(text));
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /** Starts this class in a new JVM with the test class path. */
  static Process start(Path dir, String prefix, int count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            FilesystemWriterMain.class.getName(),
            dir.toString(),
            prefix,
            String.valueOf(count))
        .redirectErrorStream(true)
        .start();
  }

  /** Returns what a finished child printed, for assertion messages. */
  static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
