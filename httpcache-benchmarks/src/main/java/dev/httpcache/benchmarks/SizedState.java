package dev.httpcache.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The size of the body that the origin of a benchmark state serves, as a JMH parameter: 1 KB and
 * 100 KB by default ({@code -p size=...} on the command line chooses others). Tests set the field
 * before they call set-up. JMH wants the {@code @State} annotation on the class that declares a
 * parameter; each subclass declares its own scope.
 */
@State(Scope.Benchmark)
public abstract class SizedState {
  /** The length of the origin's body, in bytes. */
  @Param({"1024", "102400"})
  public int size = Origin.BODY_SIZE;
}
