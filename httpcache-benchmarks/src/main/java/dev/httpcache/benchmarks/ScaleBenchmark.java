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
 * The latency of one hit on a random key of a cache of 1 000 to 1 000 000 responses of 1 KB ({@link
 * ScaleState}), SQLite (read as usual and through a memory map) and memory storage, one thread.
 * Sample time in microseconds. The heap is 4 GiB, for the memory storage's million entries (about
 * 1.5 GB).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class ScaleBenchmark {

  /** One hit on the next random key. */
  @Benchmark
  public byte[] hit(ScaleState state) throws IOException, InterruptedException {
    return state.hit();
  }
}
