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
 * Cache hits per second with eight threads sharing one client, as the threads of a server share
 * one: the same states, request and body sizes as {@link HitBenchmark}, measuring contention in
 * each cache rather than one hit's latency. With more threads than cores, the figure is the
 * machine's throughput, not a per-thread one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(8)
public class HitThroughputBenchmark {

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
}
