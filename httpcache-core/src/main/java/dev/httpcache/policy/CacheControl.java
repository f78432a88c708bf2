package dev.httpcache.policy;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The directives of {@code Cache-Control} (RFC 9111 section 5.2), parsed leniently: it never
 * throws. Names are case-insensitive; values may be quoted; spaces around {@code ,} and {@code =}
 * are allowed; unknown directives are ignored; of a duplicated directive the first occurrence
 * counts (section 4.2.1). A delta-seconds value that is negative or not a number makes the
 * directive count as 0 (stale, the safe reading); a value too large is capped at 2<sup>31</sup>
 * seconds (section 1.2.2). A request's {@code Pragma: no-cache} counts as {@code no-cache} when it
 * has no {@code Cache-Control} (section 5.4). Immutable and thread-safe.
 */
final class CacheControl {
  /** A delta-seconds value that is absent. */
  static final long ABSENT = -1;

  /** The cap of delta-seconds values (section 1.2.2). */
  static final long MAX_DELTA = 2_147_483_648L;

  static final CacheControl NONE = new CacheControl();

  long maxAge = ABSENT;
  long sMaxAge = ABSENT;
  long maxStale = ABSENT;
  long minFresh = ABSENT;
  long staleWhileRevalidate = ABSENT;
  long staleIfError = ABSENT;
  boolean noCache;
  List<String> noCacheFields = List.of();
  boolean noStore;
  boolean mustRevalidate;
  boolean proxyRevalidate;
  boolean isPrivate;
  List<String> privateFields = List.of();
  boolean isPublic;
  boolean immutable;
  boolean mustUnderstand;
  boolean onlyIfCached;
  boolean noTransform;

  private CacheControl() {}

  /** Parses the {@code Cache-Control} of a response. */
  static CacheControl ofResponse(HttpHeaders headers) {
    List<String> values = headers.allValues("Cache-Control");
    return values.isEmpty() ? NONE : parse(values);
  }

  /** Parses the {@code Cache-Control} of a request, with {@code Pragma: no-cache} as fallback. */
  static CacheControl ofRequest(HttpHeaders headers) {
    List<String> values = headers.allValues("Cache-Control");
    if (!values.isEmpty()) {
      return parse(values);
    }
    for (String pragma : headers.allValues("Pragma")) {
      for (String item : pragma.split(",", -1)) {
        if (item.trim().equalsIgnoreCase("no-cache")) {
          CacheControl cc = new CacheControl();
          cc.noCache = true;
          return cc;
        }
      }
    }
    return NONE;
  }

  /**
   * The values parsed last, one line each, up to 256 characters. A parsed instance is never changed
   * (only this class writes its fields, while parsing), so one may be handed out many times.
   */
  private static final RecentTexts<CacheControl> RECENT = new RecentTexts<>(256);

  static CacheControl parse(List<String> values) {
    if (values.size() != 1) {
      return parseLines(values);
    }
    return Objects.requireNonNull(RECENT.get(values.get(0), line -> parseLines(List.of(line))));
  }

  private static CacheControl parseLines(List<String> values) {
    CacheControl cc = new CacheControl();
    List<String> seen = new ArrayList<>();
    for (String value : values) {
      int i = 0;
      int n = value.length();
      while (i < n) {
        // One directive: name [ "=" ( token | quoted-string ) ], up to the next top-level comma.
        while (i < n && (value.charAt(i) == ',' || isSpace(value.charAt(i)))) {
          i++;
        }
        int nameStart = i;
        while (i < n && value.charAt(i) != '=' && value.charAt(i) != ',') {
          i++;
        }
        String name = value.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
        String argument = null;
        if (i < n && value.charAt(i) == '=') {
          i++;
          while (i < n && isSpace(value.charAt(i))) {
            i++;
          }
          if (i < n && value.charAt(i) == '"') {
            StringBuilder quoted = new StringBuilder();
            i++;
            while (i < n && value.charAt(i) != '"') {
              char c = value.charAt(i);
              if (c == '\\' && i + 1 < n) {
                i++;
                c = value.charAt(i);
              }
              quoted.append(c);
              i++;
            }
            i++; // the closing quote, if any
            argument = quoted.toString();
            while (i < n && value.charAt(i) != ',') {
              i++; // anything after a quoted string is junk
            }
          } else {
            int start = i;
            while (i < n && value.charAt(i) != ',') {
              i++;
            }
            argument = value.substring(start, i).trim();
          }
        }
        if (!name.isEmpty() && !seen.contains(name)) {
          seen.add(name);
          cc.apply(name, argument);
        }
      }
    }
    return cc;
  }

  private void apply(String name, @Nullable String argument) {
    switch (name) {
      case "max-age":
        maxAge = delta(argument, 0);
        break;
      case "s-maxage":
        sMaxAge = delta(argument, 0);
        break;
      case "max-stale":
        // Without a value: any staleness is accepted (section 5.2.1.2).
        maxStale = argument == null ? MAX_DELTA : delta(argument, 0);
        break;
      case "min-fresh":
        minFresh = delta(argument, 0);
        break;
      case "stale-while-revalidate":
        staleWhileRevalidate = delta(argument, ABSENT);
        break;
      case "stale-if-error":
        staleIfError = delta(argument, ABSENT);
        break;
      case "no-cache":
        noCache = true;
        noCacheFields = fields(argument);
        break;
      case "no-store":
        noStore = true;
        break;
      case "must-revalidate":
        mustRevalidate = true;
        break;
      case "proxy-revalidate":
        proxyRevalidate = true;
        break;
      case "private":
        isPrivate = true;
        privateFields = fields(argument);
        break;
      case "public":
        isPublic = true;
        break;
      case "immutable":
        immutable = true;
        break;
      case "must-understand":
        mustUnderstand = true;
        break;
      case "only-if-cached":
        onlyIfCached = true;
        break;
      case "no-transform":
        noTransform = true;
        break;
      default:
        // Unknown directives are ignored (section 5.2.3).
    }
  }

  /**
   * Reads delta-seconds: digits only (a quoted value too); an invalid value gives {@code invalid};
   * a value too large is capped.
   */
  static long delta(@Nullable String argument, long invalid) {
    if (argument == null || argument.isEmpty()) {
      return invalid;
    }
    long value = 0;
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      if (c < '0' || c > '9') {
        return invalid;
      }
      value = value * 10 + (c - '0');
      if (value >= MAX_DELTA) {
        return MAX_DELTA;
      }
    }
    return value;
  }

  private static List<String> fields(@Nullable String argument) {
    if (argument == null || argument.isBlank()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String item : argument.split(",", -1)) {
      String name = item.trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return Collections.unmodifiableList(names);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
