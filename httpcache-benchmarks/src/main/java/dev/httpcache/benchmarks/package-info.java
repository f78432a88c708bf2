/**
 * JMH benchmarks of httpcache beside OkHttp's {@code Cache} and Apache HttpClient 5's caching
 * client, all against one local {@link dev.httpcache.benchmarks.Origin}: hits on one and eight
 * threads ({@link dev.httpcache.benchmarks.HitBenchmark}, {@link
 * dev.httpcache.benchmarks.HitThroughputBenchmark}, 1 KB and 100 KB bodies, beside a plain copy of
 * the body), stored misses ({@link dev.httpcache.benchmarks.MissBenchmark}), revalidations answered
 * 304 ({@link dev.httpcache.benchmarks.RevalidationBenchmark}), each beside plain clients, and hits
 * among 1 000 to 1 000 000 entries ({@link dev.httpcache.benchmarks.ScaleBenchmark}). Three plain
 * programs go with them: {@link dev.httpcache.benchmarks.HeapPerEntry} (heap per memory-storage
 * entry), {@link dev.httpcache.benchmarks.Charts} (PNG charts from JMH's JSON results) and {@link
 * dev.httpcache.benchmarks.JfrTop} (top frames of a JFR recording).
 *
 * <p>Each client has a {@code @State} whose set-up proves what the benchmark measures (a hit: the
 * origin's request counter does not move and the client reports a cache response; a miss, a
 * revalidation or a plain request: exactly one origin request per operation, of the right kind),
 * and whose tear-down checks it again over the measured operations. Run them from the shaded jar:
 *
 * <pre>
 * java -jar httpcache-benchmarks/target/benchmarks.jar 'HitBenchmark\.' -f 2 -wi 8 -i 5
 * </pre>
 *
 * <p>or all of them, as docs/benchmarks.md reports them, with {@code
 * httpcache-benchmarks/run-benchmarks.sh}.
 *
 * <p>This module is never published and has no module-info: JMH and the benchmark harness run on
 * the class path.
 */
@NullMarked
package dev.httpcache.benchmarks;

import org.jspecify.annotations.NullMarked;
