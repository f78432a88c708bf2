/**
 * JMH benchmarks of httpcache's cache hit, side by side with OkHttp's {@code Cache} and Apache
 * HttpClient 5's caching client, all against one local {@link dev.httpcache.benchmarks.Origin}.
 *
 * <p>Each client has a {@code @State} whose set-up primes the cache and proves that the next
 * request is a hit (the origin's request counter does not move and the client reports a cache
 * response); the benchmarks then time that hit, reading the whole body. Run them from the shaded
 * jar:
 *
 * <pre>
 * java -jar httpcache-benchmarks/target/benchmarks.jar HitBenchmark -f 3 -wi 8 -w 1s -i 5 -r 1s
 * </pre>
 *
 * <p>This module is never published and has no module-info: JMH and the benchmark harness run on
 * the class path.
 */
@NullMarked
package dev.httpcache.benchmarks;

import org.jspecify.annotations.NullMarked;
