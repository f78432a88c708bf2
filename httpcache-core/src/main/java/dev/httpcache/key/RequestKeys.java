package dev.httpcache.key;

import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Computes the cache key of a request: SHA-256 over its method, normalized URL, normalized body and
 * matched headers, as 64 lower-case hex digits. Immutable and thread-safe.
 *
 * <p>Each part is framed by its length before hashing, so no two different sets of parts can hash
 * the same input. Bodies are normalized by their {@code Content-Type}: JSON with object keys sorted
 * at every depth, form bodies with their pairs sorted, anything else byte for byte.
 *
 * <p>Ignored parameters count as {@value Redactor#REDACTED}: a query parameter, body field or
 * matched header that is present changes the key, its value does not. A header that is both matched
 * and ignored takes part through an HMAC-SHA256 of its value under a secret, so that each value
 * (each user's token) gets its own entry while the key reveals nothing of it.
 */
public final class RequestKeys {
  /** Bodies larger than this are hashed as they are, without parsing. */
  static final int MAX_NORMALIZED_BODY = 10 * 1024 * 1024;

  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(RequestKeys::newDigest);
  private static final byte[] ABSENT = {0};

  private final Redactor redactor;
  private final boolean matchAll;
  private final Set<String> matched;
  private final ThreadLocal<Mac> hmac;

  private RequestKeys(Redactor redactor, boolean matchAll, Set<String> matched, byte[] secret) {
    this.redactor = redactor;
    this.matchAll = matchAll;
    this.matched = matched;
    byte[] key = secret.clone();
    this.hmac = ThreadLocal.withInitial(() -> newMac(key));
  }

  /**
   * Returns a key function.
   *
   * @param redactor the ignored parameters
   * @param matchAll whether every request header is part of the key
   * @param matchedHeaders the headers that are part of the key when not all are (any case)
   * @param secret the HMAC key for the values of headers that are matched and ignored
   */
  public static RequestKeys of(
      Redactor redactor, boolean matchAll, Collection<String> matchedHeaders, byte[] secret) {
    Set<String> lower = new TreeSet<>();
    for (String name : matchedHeaders) {
      lower.add(name.toLowerCase(Locale.ROOT));
    }
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty key secret");
    }
    return new RequestKeys(redactor, matchAll, Set.copyOf(lower), secret);
  }

  /** Returns the redactor whose names count as {@value Redactor#REDACTED}. */
  public Redactor redactor() {
    return redactor;
  }

  /** Whether the header {@code name} is part of the key. */
  public boolean matches(String name) {
    return matchAll || matched.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Returns the cache key of {@code request}. */
  public String key(CachedRequest request) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    update(digest, request.method().getBytes(StandardCharsets.US_ASCII));
    update(digest, Urls.normalize(request.uri(), redactor).getBytes(StandardCharsets.UTF_8));
    update(digest, normalizedBody(request));
    if (matchAll || !matched.isEmpty()) {
      for (Map.Entry<String, String> header : matchedHeaders(request.headers()).entrySet()) {
        update(digest, header.getKey().getBytes(StandardCharsets.UTF_8));
        update(digest, header.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return HEX.formatHex(digest.digest());
  }

  /** Returns the matched headers of a request, lower-case names in order, normalized values. */
  Map<String, String> matchedHeaders(HttpHeaders headers) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (matches(name)) {
        out.merge(name, headerValue(name, e.getValue()), (a, b) -> a + "," + b);
      }
    }
    return out;
  }

  /**
   * Returns the secondary key of a variant: the primary key and this request's values of the
   * headers a stored response's {@code Vary} names.
   *
   * @param varyNames the header names of the {@code Vary}, any case, without {@code *}
   */
  public String variantKey(String key, Collection<String> varyNames, CachedRequest request) {
    Set<String> names = new TreeSet<>();
    for (String name : varyNames) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    MessageDigest digest = SHA256.get();
    digest.reset();
    update(digest, "vary".getBytes(StandardCharsets.US_ASCII));
    update(digest, key.getBytes(StandardCharsets.US_ASCII));
    for (String name : names) {
      update(digest, name.getBytes(StandardCharsets.UTF_8));
      List<String> values = request.headers().allValues(name);
      update(
          digest,
          values.isEmpty() ? ABSENT : headerValue(name, values).getBytes(StandardCharsets.UTF_8));
    }
    return HEX.formatHex(digest.digest());
  }

  /**
   * Returns a header's values in normal form: a comma list trimmed and sorted ({@code Cookie}: its
   * {@code ;} list), or for an ignored header an HMAC of that form.
   */
  String headerValue(String name, List<String> values) {
    String normal = normalizeHeaderValue(name, values);
    if (redactor.isIgnored(name)) {
      return "hmac:" + HEX.formatHex(hmac.get().doFinal(normal.getBytes(StandardCharsets.UTF_8)));
    }
    return normal;
  }

  /**
   * Returns the values of a header as one sorted list, for comparing two requests' values; the
   * items of {@code Accept-Language}, {@code Accept-Encoding} and {@code Accept-Charset} in lower
   * case.
   */
  public static String normalizeHeaderValue(String name, List<String> values) {
    String separator = name.equalsIgnoreCase("Cookie") ? ";" : ",";
    // Language tags, codings and charsets are case-insensitive (RFC 9110 section 12.5).
    boolean anyCase =
        name.equalsIgnoreCase("Accept-Language")
            || name.equalsIgnoreCase("Accept-Encoding")
            || name.equalsIgnoreCase("Accept-Charset");
    List<String> items = new ArrayList<>();
    for (String value : values) {
      for (String item : value.split(separator, -1)) {
        String trimmed = anyCase ? item.trim().toLowerCase(Locale.ROOT) : item.trim();
        if (!trimmed.isEmpty()) {
          items.add(trimmed);
        }
      }
    }
    items.sort(null);
    return String.join(separator, items);
  }

  /** How a stored response's {@code Vary} relates to a new request. */
  public enum VaryMatch {
    /** The response may answer the request. */
    MATCH,
    /** The request differs in a header the response varies on; look for another variant. */
    MISMATCH,
    /**
     * The response varies on an ignored header that the request carries: its value was redacted, so
     * the response cannot be shown to belong to this request's sender. A miss in full.
     */
    REFUSED
  }

  /** Returns the lower-case header names of a {@code Vary}, in order, {@code *} included. */
  public static List<String> varyNames(HttpHeaders headers) {
    return CachedResponse.varyNames(headers);
  }

  /**
   * Decides whether a stored response, whose {@code Vary} names {@code varyNames}, may answer
   * {@code request} (RFC 9111 section 4.1). {@code *} never matches. Values are compared in normal
   * form ({@link #normalizeHeaderValue}), so order and spacing of list items, and of cookies, do
   * not matter. A header that is matched and ignored is compared through the key, which already
   * holds an HMAC of its value. A header that is ignored and not matched is {@link
   * VaryMatch#REFUSED} when the request carries it, and otherwise compared by presence only.
   *
   * @param storedRequest the (redacted) request stored with the response
   */
  public VaryMatch matchVary(
      List<String> varyNames, CachedRequest storedRequest, CachedRequest request) {
    if (varyNames.isEmpty()) {
      return VaryMatch.MATCH;
    }
    if (varyNames.contains("*")) {
      return VaryMatch.MISMATCH;
    }
    for (String name : varyNames) {
      if (redactor.isIgnored(name)
          && !matches(name)
          && request.headers().firstValue(name).isPresent()) {
        return VaryMatch.REFUSED;
      }
    }
    for (String name : varyNames) {
      if (redactor.isIgnored(name) && matches(name)) {
        continue;
      }
      List<String> now = request.headers().allValues(name);
      List<String> then = storedRequest.headers().allValues(name);
      if (now.isEmpty() != then.isEmpty()
          || !normalizeHeaderValue(name, now).equals(normalizeHeaderValue(name, then))) {
        return VaryMatch.MISMATCH;
      }
    }
    return VaryMatch.MATCH;
  }

  /** Returns the key of a request with the given method and normalized URL and body. */
  static String key(String method, String normalizedUrl, byte[] normalizedBody) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    update(digest, method.getBytes(StandardCharsets.US_ASCII));
    update(digest, normalizedUrl.getBytes(StandardCharsets.UTF_8));
    update(digest, normalizedBody);
    return HEX.formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, byte[] part) {
    int n = part.length;
    digest.update((byte) (n >>> 24));
    digest.update((byte) (n >>> 16));
    digest.update((byte) (n >>> 8));
    digest.update((byte) n);
    digest.update(part);
  }

  /** Returns the body of {@code request} in the normal form its content type calls for. */
  byte[] normalizedBody(CachedRequest request) {
    byte[] body = request.bodyUnsafe();
    if (body.length == 0 || body.length > MAX_NORMALIZED_BODY) {
      return body;
    }
    String type = mediaType(request.headers());
    if (isJson(type)) {
      @Nullable Object tree = Json.parse(new String(body, StandardCharsets.UTF_8));
      if (tree == null) {
        return body;
      }
      redactor.redactJson(tree);
      return Json.write(tree).getBytes(StandardCharsets.UTF_8);
    }
    if (type.equals("application/x-www-form-urlencoded")) {
      return Urls.sortQuery(new String(body, StandardCharsets.ISO_8859_1), redactor)
          .getBytes(StandardCharsets.ISO_8859_1);
    }
    return body;
  }

  /** Returns the media type, lower-cased and without parameters; empty when absent. */
  static String mediaType(HttpHeaders headers) {
    Optional<String> contentType = headers.firstValue("Content-Type");
    if (contentType.isEmpty()) {
      return "";
    }
    String value = contentType.get();
    int semicolon = value.indexOf(';');
    return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** Whether a media type is JSON: {@code application/json} or {@code application/*+json}. */
  static boolean isJson(String type) {
    return type.startsWith("application/") && type.endsWith("json");
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static Mac newMac(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }
}
