package dev.httpcache.benchmarks;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * httpcache built with {@link HttpCache#standard()} (RFC 9111: the origin's {@code max-age} of a
 * day decides freshness) over {@link Storage#inMemory()}. Unlike the other httpcache states, which
 * serve the stored headers as they are under a fixed expiry, every hit here is served with an
 * {@code Age} line.
 */
@State(Scope.Benchmark)
public class HttpcacheStandardState extends HttpcacheState {
  @Override
  Storage openStorage(Path dir) {
    return Storage.inMemory();
  }

  @Override
  HttpCache.Builder cacheBuilder(Storage storage) {
    return HttpCache.standard().storage(storage);
  }

  @Override
  String name() {
    return "httpcache (standard(), memory)";
  }
}
