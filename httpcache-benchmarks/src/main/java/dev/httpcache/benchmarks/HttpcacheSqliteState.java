package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** httpcache with {@link Storage#sqlite(Path)} on a file in a temporary directory. */
@State(Scope.Benchmark)
public class HttpcacheSqliteState extends HttpcacheState {
  @Override
  Storage openStorage(Path dir) throws IOException {
    return Storage.sqlite(dir.resolve("http_cache.sqlite"));
  }

  @Override
  String name() {
    return "httpcache (SQLite)";
  }
}
