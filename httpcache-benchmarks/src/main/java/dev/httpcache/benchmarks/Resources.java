package dev.httpcache.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * What one benchmark state opened, closed in reverse order by {@link #close()}: on tear-down, and
 * also when a set-up fails half-way, so a failed trial leaves no server or temporary directory
 * behind. Not thread-safe; JMH runs set-up and tear-down on one thread.
 */
final class Resources implements AutoCloseable {
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Registers {@code resource} to be closed, and returns it. */
  <T extends AutoCloseable> T add(T resource) {
    opened.push(resource);
    return resource;
  }

  /** Creates a temporary directory that {@link #close()} deletes with everything in it. */
  Path tempDirectory(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    add(() -> deleteTree(dir));
    return dir;
  }

  @Override
  public void close() throws Exception {
    Exception failure = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
