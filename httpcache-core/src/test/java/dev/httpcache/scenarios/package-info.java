/**
 * The scenario suite that every adapter of the cache passes: one set of scenarios, written against
 * the small {@link dev.httpcache.scenarios.ScenarioClient} interface, run through {@code
 * CachedHttpClient} (send and sendAsync) and through the OkHttp interceptor (execute and enqueue),
 * so that the adapters behave alike by construction rather than by two copies of the tests.
 *
 * <p>An adapter's test extends {@link dev.httpcache.scenarios.CacheScenarios} and says how to make
 * a client of its library over a cache, and one without:
 *
 * <pre>{@code
 * final class CachedHttpClientScenariosTest extends CacheScenarios {
 *   protected ScenarioClient client(HttpCache cache) { ... }
 *   protected ScenarioClient plainClient() { ... }
 * }
 * }</pre>
 *
 * <p>This package is new in the test jar and exists nowhere in the main code, so that a module that
 * depends on the test jar never sees one package in two places.
 */
@NullMarked
package dev.httpcache.scenarios;

import org.jspecify.annotations.NullMarked;
