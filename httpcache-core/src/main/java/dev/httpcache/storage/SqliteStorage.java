package dev.httpcache.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Temporary stand-in, to be replaced. */
final class SqliteStorage {
  private SqliteStorage() {}

  static Storage open(Path path) throws IOException {
    throw new IOException("not yet: " + path);
  }
}
