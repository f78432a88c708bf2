package dev.httpcache.jackson;

import dev.httpcache.codec.Codec;

/**
 * Entry codecs that store each cached response as a JSON, YAML or CBOR document.
 *
 * <p>Use one where people need to read what the cache holds; the default {@link Codec#binary()} is
 * smaller and faster. Use one codec per cache: an entry of another codec fails to decode, which the
 * cache treats as a miss (YAML, a superset of JSON, happens to read JSON entries).
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder().codec(JacksonCodecs.json()).build();
 * }</pre>
 *
 * <p>What each document holds: {@code format} ({@code "httpcache-entry"}) and {@code version}
 * ({@code 1}) first, then {@code status}, {@code reason}, {@code uri}, {@code headers} (name to
 * list of values), {@code body}, the {@code request} (method, uri, headers, body), and last {@code
 * createdAt} and {@code expires} (ISO-8601 instants; {@code null} for never). A body is an object
 * with one field: {@code json} (the body's own JSON value), {@code text} (a string) or {@code
 * base64} in JSON and YAML, {@code bytes} (a byte string) in CBOR. Decoding gives back the exact
 * body bytes: every write decodes its own output once and falls back to a plainer body form if
 * anything would differ.
 *
 * <p>Decoders treat input as hostile and fail with a {@link dev.httpcache.codec.CodecException}
 * naming what is wrong: documents are limited to 64 MiB, bodies to 32 MiB, other strings to 1 Mi
 * characters, headers to 10,000 values, nesting to 64 levels, numbers to 100 characters and YAML
 * lines to 64 KiB; YAML aliases, anchors and tags are refused. A response beyond these limits is
 * not encoded: {@code encode} throws an {@link java.io.IOException} and the cache does not store
 * it. See docs/codecs-jackson.md.
 *
 * <p>The codecs are immutable and thread-safe.
 */
public final class JacksonCodecs {
  private JacksonCodecs() {}

  /**
   * Returns the JSON codec, {@code json-v1}: a pretty-printed UTF-8 document in which JSON bodies
   * appear as JSON values and text bodies as strings.
   */
  public static Codec json() {
    return JacksonCodec.JSON;
  }

  /**
   * Returns the YAML codec, {@code yaml-v1}: the same document as {@link #json()} in YAML, with
   * multi-line text bodies as literal blocks where that reads back exactly.
   */
  public static Codec yaml() {
    return JacksonCodec.YAML;
  }

  /**
   * Returns the CBOR codec, {@code cbor-v1} (RFC 8949): the same document in binary, with bodies as
   * byte strings; smaller than JSON, readable with any CBOR tool.
   */
  public static Codec cbor() {
    return JacksonCodec.CBOR;
  }
}
