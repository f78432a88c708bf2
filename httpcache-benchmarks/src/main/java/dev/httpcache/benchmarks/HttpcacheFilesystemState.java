package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** httpcache with {@link Storage#filesystem(Path)} in a temporary directory. */
@State(Scope.Benchmark)
public class HttpcacheFilesystemState extends HttpcacheState {
  @Override
  Storage openStorage(Path dir) throws IOException {
    return Storage.filesystem(dir.resolve("cache"));
  }

  @Override
  String name() {
    return "httpcache (filesystem)";
  }
}
