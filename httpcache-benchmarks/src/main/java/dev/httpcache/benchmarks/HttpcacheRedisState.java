package dev.httpcache.benchmarks;

import dev.httpcache.redis.RedisStorage;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * httpcache with {@link RedisStorage} on the Redis of the system property {@value #URL_PROPERTY}
 * (default {@value #DEFAULT_URL}), in a namespace of its own that set-up empties first. The one
 * entry it leaves behind expires in Redis by itself (its day of freshness plus the storage's
 * offset).
 */
@State(Scope.Benchmark)
public class HttpcacheRedisState extends HttpcacheState {
  /** The system property that names the Redis to measure. */
  static final String URL_PROPERTY = "httpcache.benchmark.redis";

  /** The Redis measured by default: the local server that .ci/run starts. */
  static final String DEFAULT_URL = "redis://127.0.0.1:6379/0?namespace=httpcache-benchmark";

  @Override
  Storage openStorage(Path dir) throws IOException {
    RedisStorage storage = RedisStorage.fromUrl(System.getProperty(URL_PROPERTY, DEFAULT_URL));
    storage.clear();
    return storage;
  }

  @Override
  String name() {
    return "httpcache (Redis)";
  }
}
