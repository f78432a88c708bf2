package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** httpcache with {@link Storage#inMemory()}. */
@State(Scope.Benchmark)
public class HttpcacheMemoryState extends HttpcacheState {
  @Override
  Storage openStorage(Path dir) {
    return Storage.inMemory();
  }

  @Override
  String name() {
    return "httpcache (memory)";
  }
}
