package dev.httpcache.key;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * URL and query-string normalization for cache keys. Stateless and thread-safe.
 *
 * <p>Two URLs that any server must treat alike get the same normal form: the scheme and host are
 * lower-cased, a default port is dropped, dot segments are removed, an empty path becomes {@code
 * /}, percent-escapes are upper-cased and unreserved characters unescaped, the query parameters are
 * sorted (by name, then value, duplicates kept, empty values kept) and the fragment, which is never
 * sent, is dropped.
 */
public final class Urls {
  private Urls() {}

  private static final Comparator<String[]> PAIR_ORDER =
      Comparator.<String[], String>comparing(p -> p[0])
          .thenComparing(p -> p[1] == null ? "" : p[1])
          .thenComparing(p -> p[1] == null ? 0 : 1);

  private static final Redactor NO_REDACTION = Redactor.of(List.of());

  /** Returns the normal form of an absolute URI. */
  public static String normalize(URI uri) {
    return normalize(uri, NO_REDACTION);
  }

  /**
   * Returns the normal form of an absolute URI in which the values of ignored query parameters, and
   * the password of the user info, are {@value Redactor#REDACTED}.
   */
  public static String normalize(URI uri, Redactor redactor) {
    StringBuilder out = new StringBuilder(64);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    out.append(scheme).append("://");
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon + 1) + Redactor.REDACTED;
      out.append(percent(user)).append('@');
    }
    String host = uri.getHost();
    if (host == null) {
      // Authorities java.net.URI does not parse as server-based (e.g. with underscores).
      String authority = uri.getRawAuthority();
      host = authority == null ? "" : authority;
      if (userInfo != null && host.startsWith(userInfo + "@")) {
        host = host.substring(userInfo.length() + 1);
      }
    }
    out.append(host.toLowerCase(Locale.ROOT));
    int port = uri.getPort();
    if (port != -1 && port != defaultPort(scheme)) {
      out.append(':').append(port);
    }
    String path = uri.getRawPath();
    out.append(path == null || path.isEmpty() ? "/" : removeDotSegments(percent(path)));
    String query = uri.getRawQuery();
    if (query != null) {
      String sorted = sortQuery(query, redactor);
      if (!sorted.isEmpty()) {
        out.append('?').append(sorted);
      }
    }
    return out.toString();
  }

  /** Returns the default port of a scheme, or -1 when it has none known. */
  static int defaultPort(String scheme) {
    switch (scheme) {
      case "http":
      case "ws":
        return 80;
      case "https":
      case "wss":
        return 443;
      default:
        return -1;
    }
  }

  /**
   * Sorts the {@code &}-separated pairs of a query or form body by name, then value; pairs stay
   * whole, duplicates are kept, empty pieces are dropped, escapes are normalized. A name with no
   * {@code =} sorts before the same name with an empty value, and differs from it.
   */
  public static String sortQuery(String query) {
    return sortQuery(query, NO_REDACTION);
  }

  /**
   * Sorts a query or form body as {@link #sortQuery(String)} does, with the values of ignored names
   * replaced by {@value Redactor#REDACTED}.
   */
  public static String sortQuery(String query, Redactor redactor) {
    List<String[]> pairs = new ArrayList<>();
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        String piece = query.substring(start, end);
        int eq = piece.indexOf('=');
        if (eq < 0) {
          pairs.add(new String[] {percent(piece), null});
        } else {
          String name = piece.substring(0, eq);
          String value =
              redactor.isIgnored(Redactor.decode(name))
                  ? Redactor.REDACTED
                  : percent(piece.substring(eq + 1));
          pairs.add(new String[] {percent(name), value});
        }
      }
      start = end + 1;
    }
    pairs.sort(PAIR_ORDER);
    StringBuilder out = new StringBuilder(query.length());
    for (String[] p : pairs) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(p[0]);
      if (p[1] != null) {
        out.append('=').append(p[1]);
      }
    }
    return out.toString();
  }

  /**
   * Normalizes percent-encoding: escapes of unreserved characters are decoded, other escapes
   * upper-cased, and characters outside ASCII encoded as UTF-8 escapes.
   */
  static String percent(String s) {
    boolean plain = true;
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c != '%' && c < 0x80;
    }
    if (plain) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          char decoded = (char) (hi * 16 + lo);
          if (isUnreserved(decoded)) {
            out.append(decoded);
          } else {
            out.append('%').append(hex(hi)).append(hex(lo));
          }
          i += 2;
          continue;
        }
        out.append(c);
      } else if (c >= 0x80) {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < s.length()) {
          end++;
        }
        for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(hex((b >> 4) & 0xF)).append(hex(b & 0xF));
        }
        i = end - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static char hex(int digit) {
    return "0123456789ABCDEF".charAt(digit);
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /** Removes {@code .} and {@code ..} segments (RFC 3986 section 5.2.4). */
  static String removeDotSegments(String path) {
    if (!path.contains(".")) {
      return path;
    }
    String[] segments = path.split("/", -1);
    List<String> out = new ArrayList<>(segments.length);
    for (int i = 0; i < segments.length; i++) {
      String seg = segments[i];
      boolean last = i == segments.length - 1;
      if (seg.equals(".")) {
        if (last) {
          out.add("");
        }
      } else if (seg.equals("..")) {
        if (out.size() > 1) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add("");
        }
      } else {
        out.add(seg);
      }
    }
    String joined = String.join("/", out);
    return joined.startsWith("/") ? joined : "/" + joined;
  }
}
