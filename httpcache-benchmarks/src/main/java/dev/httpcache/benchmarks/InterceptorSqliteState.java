package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * OkHttp with httpcache's interceptor over {@link Storage#sqlite(Path)} in a temporary directory.
 */
@State(Scope.Benchmark)
public class InterceptorSqliteState extends InterceptorState {
  @Override
  Storage openStorage(Path dir) throws IOException {
    return Storage.sqlite(dir.resolve("http_cache.sqlite"));
  }

  @Override
  String name() {
    return "OkHttp + CacheInterceptor (SQLite)";
  }
}
