package dev.httpcache.key;

import dev.httpcache.model.CachedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Computes the cache key of a request: SHA-256 over its method, normalized URL and normalized body,
 * as 64 lower-case hex digits. Thread-safe.
 *
 * <p>Each part is framed by its length before hashing, so no two different sets of parts can hash
 * the same input. Bodies are normalized by their {@code Content-Type}: JSON with object keys sorted
 * at every depth, form bodies with their pairs sorted, anything else byte for byte.
 */
public final class RequestKeys {
  /** Bodies larger than this are hashed as they are, without parsing. */
  static final int MAX_NORMALIZED_BODY = 10 * 1024 * 1024;

  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(RequestKeys::newDigest);

  private RequestKeys() {}

  /** Returns the cache key of {@code request}. */
  public static String key(CachedRequest request) {
    return key(request.method(), Urls.normalize(request.uri()), normalizedBody(request));
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
  public static byte[] normalizedBody(CachedRequest request) {
    byte[] body = request.bodyUnsafe();
    if (body.length == 0 || body.length > MAX_NORMALIZED_BODY) {
      return body;
    }
    String type = mediaType(request);
    if (isJson(type)) {
      Object tree = Json.parse(new String(body, StandardCharsets.UTF_8));
      return tree == null ? body : Json.write(tree).getBytes(StandardCharsets.UTF_8);
    }
    if (type.equals("application/x-www-form-urlencoded")) {
      return Urls.sortQuery(new String(body, StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1);
    }
    return body;
  }

  /** Returns the request's media type, lower-cased and without parameters; empty when absent. */
  static String mediaType(CachedRequest request) {
    Optional<String> contentType = request.headers().firstValue("Content-Type");
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
}
