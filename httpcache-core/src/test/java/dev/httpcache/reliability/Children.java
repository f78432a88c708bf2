package dev.httpcache.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of these tests in a new JVM with the test class path. */
final class Children {
  private Children() {}

  /**
   * Starts {@code main} with {@code args} in a JVM of at most {@code heapMiB} of heap; its output
   * and errors go to {@code log}, or to a pipe the caller reads when {@code log} is null.
   */
  static Process start(
      Class<?> main, int heapMiB, @org.jspecify.annotations.Nullable Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMiB + "m");
    command.add("-XX:TieredStopAtLevel=1"); // short-lived: start fast rather than peak
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (log != null) {
      builder.redirectOutput(log.toFile());
    }
    return builder.start();
  }
}
