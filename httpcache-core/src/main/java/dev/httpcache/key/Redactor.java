package dev.httpcache.key;

import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Replaces every copy of an ignored parameter's value by {@value #REDACTED}: in URLs (query
 * parameters, and the password of user info), in request and response headers (and the URLs of
 * {@code Location} and {@code Content-Location}), in JSON bodies at every depth and in form bodies.
 * Names match case-insensitively everywhere, and query and form names after percent-decoding, since
 * leaking a secret is worse than sharing an entry. Immutable and thread-safe.
 */
public final class Redactor {
  /** What an ignored value becomes. */
  public static final String REDACTED = "REDACTED";

  private static final byte[] REDACTED_BYTES = REDACTED.getBytes(StandardCharsets.US_ASCII);

  private static final Redactor NONE = new Redactor(Set.of());

  private final Set<String> names;
  // The same names, looked up in any case without a lower-case copy: for ASCII names, which header
  // names always are, the two lookups agree.
  private final Set<String> namesAnyCase;
  // Bit n set when a name has n characters (bit 63: 63 or more): rules out most ASCII names.
  private final long lengths;

  private Redactor(Set<String> names) {
    this.names = names;
    TreeSet<String> anyCase = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    anyCase.addAll(names);
    this.namesAnyCase = Collections.unmodifiableSet(anyCase);
    long mask = 0;
    for (String name : names) {
      mask |= 1L << Math.min(name.length(), 63);
    }
    this.lengths = mask;
  }

  /**
   * Returns a redactor of these names (headers, query parameters and body fields alike); an empty
   * collection redacts nothing.
   */
  public static Redactor of(Collection<String> names) {
    if (names.isEmpty()) {
      return NONE;
    }
    Set<String> lower = new TreeSet<>();
    for (String name : names) {
      lower.add(name.toLowerCase(Locale.ROOT));
    }
    return new Redactor(Set.copyOf(lower));
  }

  /** Whether nothing is redacted. */
  public boolean isEmpty() {
    return names.isEmpty();
  }

  /** Whether {@code name} (a header, query or body field name) is ignored, in any case. */
  public boolean isIgnored(String name) {
    if (names.isEmpty()) {
      return false;
    }
    if (!isAscii(name)) {
      // Lower case may change the length of other letters: compare the lower-case copy.
      return names.contains(name.toLowerCase(Locale.ROOT));
    }
    // An ASCII name can only be one of the ASCII names, of its own length.
    return (lengths & (1L << Math.min(name.length(), 63))) != 0 && namesAnyCase.contains(name);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code response} with its URL, headers and request redacted. */
  public CachedResponse redact(CachedResponse response) {
    if (names.isEmpty() && response.uri().getRawUserInfo() == null) {
      return response;
    }
    return response.toBuilder()
        .uri(redact(response.uri()))
        .headers(redact(response.headers()))
        .request(redact(response.request()))
        .build();
  }

  /** Returns {@code request} with its URL, headers and body redacted. */
  public CachedRequest redact(CachedRequest request) {
    if (names.isEmpty() && request.uri().getRawUserInfo() == null) {
      return request;
    }
    return CachedRequest.ofOwned(
        request.method(),
        redact(request.uri()),
        redact(request.headers()),
        redactBody(request.bodyUnsafe(), RequestKeys.mediaType(request.headers())));
  }

  /**
   * Returns {@code uri} with the values of ignored query parameters and the password of its user
   * info replaced. A user info password is always a secret, whatever the list says.
   */
  public URI redact(URI uri) {
    String query = uri.getRawQuery();
    String userInfo = uri.getRawUserInfo();
    String newQuery = query == null ? null : redactPairs(query);
    String newUserInfo = userInfo == null ? null : redactUserInfo(userInfo);
    if (java.util.Objects.equals(query, newQuery)
        && java.util.Objects.equals(userInfo, newUserInfo)) {
      return uri;
    }
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append(':');
    String authority = uri.getRawAuthority();
    if (authority != null) {
      out.append("//");
      if (userInfo != null && newUserInfo != null && authority.startsWith(userInfo + "@")) {
        out.append(newUserInfo).append(authority.substring(userInfo.length()));
      } else {
        out.append(authority);
      }
    }
    String path = uri.getRawPath();
    if (path != null) {
      out.append(path);
    }
    if (newQuery != null) {
      out.append('?').append(newQuery);
    }
    if (uri.getRawFragment() != null) {
      out.append('#').append(uri.getRawFragment());
    }
    try {
      return new URI(out.toString());
    } catch (URISyntaxException e) {
      // Cannot happen for parts of a valid URI; never keep the original if it does.
      return URI.create(uri.getScheme() + "://redacted.invalid/");
    }
  }

  private static String redactUserInfo(String userInfo) {
    int colon = userInfo.indexOf(':');
    return colon < 0 ? userInfo : userInfo.substring(0, colon + 1) + REDACTED;
  }

  /** Redacts the values of ignored names in an {@code &}-separated list of pairs. */
  String redactPairs(String pairs) {
    if (names.isEmpty()) {
      return pairs;
    }
    StringBuilder out = null;
    int start = 0;
    while (start <= pairs.length()) {
      int end = pairs.indexOf('&', start);
      if (end < 0) {
        end = pairs.length();
      }
      int eq = pairs.indexOf('=', start);
      if (eq >= 0 && eq < end && isIgnored(decode(pairs.substring(start, eq)))) {
        if (out == null) {
          out = new StringBuilder(pairs.length());
          out.append(pairs, 0, start);
        }
        out.append(pairs, start, eq + 1).append(REDACTED);
      } else if (out != null) {
        out.append(pairs, start, end);
      }
      if (end < pairs.length() && out != null) {
        out.append('&');
      }
      start = end + 1;
    }
    return out == null ? pairs : out.toString();
  }

  static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape: compare the raw name
    }
  }

  /**
   * Returns {@code headers} with ignored headers' values replaced, and ignored query parameters
   * redacted in the URLs of {@code Location} and {@code Content-Location}.
   */
  public HttpHeaders redact(HttpHeaders headers) {
    if (names.isEmpty()) {
      return headers;
    }
    Map<String, List<String>> out = null;
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      String name = e.getKey();
      List<String> values = e.getValue();
      List<String> replaced = values;
      if (isIgnored(name)) {
        replaced = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
          replaced.add(REDACTED);
        }
      } else if (name.equalsIgnoreCase("Location") || name.equalsIgnoreCase("Content-Location")) {
        replaced = new ArrayList<>(values.size());
        for (String value : values) {
          replaced.add(redactUrlText(value));
        }
      }
      if (!replaced.equals(values) && out == null) {
        out = new LinkedHashMap<>(headers.map());
      }
      if (out != null) {
        out.put(name, replaced);
      }
    }
    return out == null ? headers : HttpHeaders.of(out, (a, b) -> true);
  }

  /** Redacts the query of a URL given as text, relative or absolute; odd text is kept. */
  private String redactUrlText(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return url;
    }
    int hash = url.indexOf('#', q);
    String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
    String rest = hash < 0 ? "" : url.substring(hash);
    return url.substring(0, q + 1) + redactPairs(query) + rest;
  }

  /**
   * Returns a body with ignored fields' values replaced: JSON (at every depth, inside arrays too)
   * and form bodies; other bodies are returned as they are. A JSON body that cannot be parsed is
   * replaced whole, since it cannot be searched for secrets.
   */
  public byte[] redactBody(byte[] body, String mediaType) {
    if (names.isEmpty() || body.length == 0) {
      return body;
    }
    if (RequestKeys.isJson(mediaType)) {
      @Nullable Object tree = Json.parse(new String(body, StandardCharsets.UTF_8));
      if (tree == null) {
        return REDACTED_BYTES.clone();
      }
      return redactJson(tree) ? Json.write(tree).getBytes(StandardCharsets.UTF_8) : body;
    }
    if (mediaType.equals("application/x-www-form-urlencoded")) {
      String form = new String(body, StandardCharsets.ISO_8859_1);
      String redacted = redactPairs(form);
      return redacted.equals(form) ? body : redacted.getBytes(StandardCharsets.ISO_8859_1);
    }
    return body;
  }

  /** Replaces ignored fields' values in a parsed tree, in place; returns whether any was. */
  @SuppressWarnings("unchecked")
  boolean redactJson(Object node) {
    boolean changed = false;
    if (node instanceof Map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
        if (isIgnored(e.getKey())) {
          e.setValue(REDACTED);
          changed = true;
        } else {
          changed |= redactJson(e.getValue());
        }
      }
    } else if (node instanceof List) {
      for (Object item : (List<Object>) node) {
        changed |= redactJson(item);
      }
    }
    return changed;
  }

  /** Returns the URL as it may appear in a log line or an exception message. */
  public String forLog(URI uri) {
    return redact(uri).toString();
  }

  @Override
  public String toString() {
    return "Redactor" + names;
  }
}
