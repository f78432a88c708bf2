package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** OkHttp with httpcache's interceptor over {@link Storage#inMemory()}. */
@State(Scope.Benchmark)
public class InterceptorMemoryState extends InterceptorState {
  @Override
  Storage openStorage(Path dir) {
    return Storage.inMemory();
  }

  @Override
  String name() {
    return "OkHttp + CacheInterceptor (memory)";
  }
}
