/**
 * Cache keys: request normalization (URL, query order, JSON and form bodies) and hashing into a
 * SHA-256 key. Internal to the engine; this package is not exported by the module.
 */
@NullMarked
package dev.httpcache.key;

import org.jspecify.annotations.NullMarked;
