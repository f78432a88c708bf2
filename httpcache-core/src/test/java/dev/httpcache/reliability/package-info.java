/**
 * Reliability checks of the engine and the stock storages: load, several processes, crashes,
 * storage faults, hostile servers and hostile cache contents. Every randomized check takes its seed
 * from {@code -Dhttpcache.seed} ({@link dev.httpcache.reliability.Reliability#seed()}); the long
 * variants run with {@code -Dhttpcache.reliability=long} (the Maven profile {@code
 * reliability-long}). The public helpers here are used by the tests of other modules too (Redis).
 */
@NullMarked
package dev.httpcache.reliability;

import org.jspecify.annotations.NullMarked;
