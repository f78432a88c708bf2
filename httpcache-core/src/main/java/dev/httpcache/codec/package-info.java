/**
 * Entry codecs: how a cached response becomes the bytes a storage keeps.
 *
 * <p>The default, {@link dev.httpcache.codec.Codec#binary()}, is a compact versioned format (magic
 * bytes {@code hcb} and a format version) that uses no Java object serialization. Every decoder
 * treats its input as hostile and fails with a {@link dev.httpcache.codec.CodecException}; the
 * cache then treats the entry as a miss, deletes it and reports it.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder().codec(Codec.binary()).build();
 * }</pre>
 */
@NullMarked
package dev.httpcache.codec;

import org.jspecify.annotations.NullMarked;
