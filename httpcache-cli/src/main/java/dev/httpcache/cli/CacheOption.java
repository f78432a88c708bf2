package dev.httpcache.cli;

import dev.httpcache.storage.Storage;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache PATH} option that every command working on a cache file shares. */
final class CacheOption {
  @Option(
      names = "--cache",
      paramLabel = "PATH",
      defaultValue = Storage.DEFAULT_SQLITE_FILE,
      description = "The SQLite cache file (default: ${DEFAULT-VALUE} in the working directory).")
  private Path path = Path.of(Storage.DEFAULT_SQLITE_FILE);

  /** Returns the cache file. */
  Path path() {
    return path;
  }
}
