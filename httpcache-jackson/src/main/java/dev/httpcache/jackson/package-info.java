/**
 * Entry codecs that store cached responses as JSON, YAML or CBOR documents, for people who want to
 * read, diff or grep what their cache holds.
 *
 * <p>{@link dev.httpcache.jackson.JacksonCodecs} is the only entry point. Each codec writes one
 * document per entry with a top-level {@code "format": "httpcache-entry"} and {@code "version": 1},
 * the status, reason, URL, headers, body, the request, and the creation and expiry times. In JSON
 * and YAML a UTF-8 text body is stored as text (a JSON body as a JSON value when that reproduces
 * its exact bytes), any other body as base64; CBOR stores bodies as byte strings. Decoding always
 * gives back the exact bytes.
 *
 * <pre>{@code
 * HttpCache cache =
 *     HttpCache.builder()
 *         .storage(Storage.sqlite(Path.of("http_cache.sqlite")))
 *         .codec(JacksonCodecs.json())
 *         .build();
 * }</pre>
 *
 * <p>Decoders treat their input as hostile: bounded document, string, number and nesting sizes, no
 * YAML anchors, aliases or tags, no data binding or polymorphic types, and a {@link
 * dev.httpcache.codec.CodecException} that says what is wrong for anything else. These formats are
 * bigger and slower than the default {@link dev.httpcache.codec.Codec#binary()}; choose them for
 * what a person can see in them.
 */
@NullMarked
package dev.httpcache.jackson;

import org.jspecify.annotations.NullMarked;
