/**
 * Where cache entries live: the {@link dev.httpcache.storage.Storage} SPI over bytes, and its stock
 * implementations.
 *
 * <pre>{@code
 * Storage sqlite = Storage.sqlite(Path.of("caches/api.sqlite")); // the default is http_cache.sqlite
 * Storage files = Storage.filesystem(Path.of("caches/api")); // one file per entry
 * Storage memory = Storage.inMemory();
 * HttpCache cache = HttpCache.builder().storage(sqlite).build();
 * }</pre>
 *
 * <p>A storage knows nothing of HTTP: keys are cache keys, values are encoded entries. Write your
 * own by implementing {@link dev.httpcache.storage.Storage}; every stock storage passes one
 * contract test, which a new one should pass too.
 */
@NullMarked
package dev.httpcache.storage;

import org.jspecify.annotations.NullMarked;
