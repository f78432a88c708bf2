package dev.httpcache.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of one cache hit on one thread: a fresh, cached response of {@code size} bytes (1 KB
 * and 100 KB; the {@code size} parameter of {@link SizedState}) fetched and read whole, through
 * each client, beside a plain copy of a body of the same size ({@link #copyBody}). Sample time in
 * microseconds, so JMH reports percentiles as well as the mean; the project reports the median
 * ({@code p0.50}).
 *
 * <p>The defaults here are the run the docs report: three forks, since one fork's figures differ
 * from the next by up to a third on the 2-core machine they were taken on, and eight 1 s warm-up
 * iterations, which OkHttp needs to reach its steady state. Override them on the command line
 * ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class HitBenchmark {

  /** httpcache's CachedHttpClient with the in-memory storage. */
  @Benchmark
  public byte[] httpcacheMemory(HttpcacheMemoryState state)
      throws IOException, InterruptedException {
    return state.hit();
  }

  /**
   * httpcache's CachedHttpClient with the in-memory storage, built with {@code
   * HttpCache.standard()}: each hit is served with an {@code Age} line.
   */
  @Benchmark
  public byte[] httpcacheStandard(HttpcacheStandardState state)
      throws IOException, InterruptedException {
    return state.hit();
  }

  /** httpcache's CachedHttpClient with the SQLite storage. */
  @Benchmark
  public byte[] httpcacheSqlite(HttpcacheSqliteState state)
      throws IOException, InterruptedException {
    return state.hit();
  }

  /** httpcache's CachedHttpClient with the filesystem storage. */
  @Benchmark
  public byte[] httpcacheFilesystem(HttpcacheFilesystemState state)
      throws IOException, InterruptedException {
    return state.hit();
  }

  /** httpcache's CachedHttpClient with the Redis storage (a local redis-server). */
  @Benchmark
  public byte[] httpcacheRedis(HttpcacheRedisState state) throws IOException, InterruptedException {
    return state.hit();
  }

  /** OkHttp 5 with okhttp3.Cache on disk. */
  @Benchmark
  public byte[] okhttp(OkHttpState state) throws IOException {
    return state.hit();
  }

  /** OkHttp 5 with httpcache's CacheInterceptor and the in-memory storage. */
  @Benchmark
  public byte[] okhttpInterceptorMemory(InterceptorMemoryState state) throws IOException {
    return state.hit();
  }

  /** OkHttp 5 with httpcache's CacheInterceptor and the SQLite storage. */
  @Benchmark
  public byte[] okhttpInterceptorSqlite(InterceptorSqliteState state) throws IOException {
    return state.hit();
  }

  /** Apache HttpClient 5's classic caching client, in-memory storage. */
  @Benchmark
  public byte[] apache(ApacheState state) throws IOException {
    return state.hit();
  }

  /**
   * The baseline: a plain copy of a body of the same size ({@code Arrays.copyOf}), no cache and no
   * HTTP. A hit delivers a new {@code byte[]} of the body, so it costs at least this.
   */
  @Benchmark
  public byte[] copyBody(CopyState state) {
    return state.copy();
  }
}
