package dev.httpcache.storage;

import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process for the SQLite tests: writes {@code count} entries named {@code prefix + i} into
 * a cache file (or the default file, for the argument {@code default}) and reads each back.
 */
final class SqliteWriterMain {
  private SqliteWriterMain() {}

  public static void main(String[] args) throws IOException {
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    try (Storage storage =
        args[0].equals("default") ? Storage.sqlite() : Storage.sqlite(Path.of(args[0]))) {
      for (int i = 0; i < count; i++) {
        byte[] value = (prefix + i).getBytes(StandardCharsets.UTF_8);
        storage.put(Namespace.RESPONSES, prefix + i, value, null);
        if (storage.get(Namespace.RESPONSES, prefix + i).isEmpty()) {
          throw new IllegalStateException("lost " + prefix + i);
        }
      }
    }
  }

  /** Starts this class in a new JVM with the test class path, in {@code workingDir}. */
  static Process start(Path workingDir, String file, String prefix, int count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SqliteWriterMain.class.getName(),
            file,
            prefix,
            String.valueOf(count))
        .directory(workingDir.toFile())
        .redirectErrorStream(true)
        .start();
  }

  /** Returns what a finished child printed, for assertion messages. */
  static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
