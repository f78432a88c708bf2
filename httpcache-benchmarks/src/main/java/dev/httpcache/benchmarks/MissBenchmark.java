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
 * The latency of a stored miss on one thread: a GET of a new URL, fetched from the local origin and
 * stored, through each caching client, beside the same request through the plain clients (the
 * {@code client} parameter of {@link MissState}: {@code plain-jdk} is {@code java.net.http}'s
 * {@code HttpClient}). Sample time in microseconds.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class MissBenchmark {

  /** One stored miss (or, for a plain client, one request). */
  @Benchmark
  public byte[] miss(MissState state) throws Exception {
    return state.miss();
  }
}
