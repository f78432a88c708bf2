package dev.httpcache.benchmarks;

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
 * The latency of a revalidation answered 304 on one thread, through each caching client ({@link
 * RevalidationState}), beside a plain request of the same size answered 200 with the body ({@link
 * PlainState}). Sample time in microseconds; the body size is the {@code size} parameter (1 KB and
 * 100 KB).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class RevalidationBenchmark {

  /** One revalidation: a conditional request answered 304, the stored body served. */
  @Benchmark
  public byte[] revalidate(RevalidationState state) throws Exception {
    return state.revalidate();
  }

  /** One plain request without a cache: a 200 with the whole body. */
  @Benchmark
  public byte[] plain(PlainState state) throws Exception {
    return state.request();
  }
}
