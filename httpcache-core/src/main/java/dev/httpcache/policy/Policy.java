package dev.httpcache.policy;

import dev.httpcache.model.CachedResponse;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The cache's decisions as pure functions of the request's actions and headers, the stored entry
 * and the time: no I/O, no state. The engine calls these; they are public so that adapters and
 * tests can reason about a decision without a storage. Thread-safe.
 *
 * <p>By default this follows requests-cache: a stored response is served until it expires; once
 * expired it is revalidated when it has a validator ({@code ETag}, {@code Last-Modified}) and
 * fetched again when it has none. Request directives ({@code max-age}, {@code min-fresh}, {@code
 * max-stale}, {@code no-cache}, {@code no-store}, {@code only-if-cached}, {@code stale-if-error},
 * {@code Pragma: no-cache}) are always honoured. Under {@link Rules#cacheControl()} the response's
 * own directives decide too, as RFC 9111 has them.
 */
public final class Policy {
  private Policy() {}

  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  /** The status codes this cache understands, for {@code must-understand} (section 5.2.2.3). */
  static final Set<Integer> UNDERSTOOD_STATUSES =
      Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501);

  /**
   * Hop-by-hop and proxy-specific headers, never stored (RFC 9110 section 7.6.1, RFC 9111 section
   * 3.1). Looked up in any case.
   */
  private static final Set<String> HOP_BY_HOP =
      caseInsensitive(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "transfer-encoding",
          "upgrade",
          "proxy-authenticate",
          "proxy-authentication-info",
          "proxy-authorization");

  /** Bit {@code n} is set when a name of {@link #HOP_BY_HOP} has {@code n} characters. */
  private static final long HOP_BY_HOP_LENGTHS = lengths(HOP_BY_HOP);

  /** Returns a mask with bit {@code n} set for each name of {@code n} characters (all below 64). */
  private static long lengths(Set<String> names) {
    long mask = 0;
    for (String name : names) {
      mask |= 1L << name.length();
    }
    return mask;
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return Collections.unmodifiableSet(set);
  }

  /** Decides what to do with a request that carries no headers of its own; see below. */
  public static CacheDecision decide(
      Actions actions, @Nullable CachedResponse stored, Instant now) {
    return decide(actions, NO_HEADERS, stored, now);
  }

  /**
   * Decides what to do with a request (RFC 9111 section 4).
   *
   * @param actions what the settings and options allow for this request
   * @param requestHeaders the request's headers, for its {@code Cache-Control} directives
   * @param stored the response stored under the request's key, or {@code null}
   * @param now the current time
   */
  public static CacheDecision decide(
      Actions actions, HttpHeaders requestHeaders, @Nullable CachedResponse stored, Instant now) {
    CacheControl rq = CacheControl.ofRequest(requestHeaders);
    boolean offline = actions.onlyIfCached() || rq.onlyIfCached;
    if (!actions.read() || stored == null || rq.noStore) {
      return offline ? new CacheDecision.Unsatisfiable() : new CacheDecision.Fetch();
    }
    Rules rules = actions.rules();
    CacheControl rs =
        rules.cacheControl() ? CacheControl.ofResponse(stored.headers()) : CacheControl.NONE;
    Instant expires = stored.expiresOrNull();
    boolean expired = stored.isExpired(now);
    Duration staleness =
        expired && expires != null && now.isAfter(expires)
            ? Duration.between(expires, now)
            : Duration.ZERO;
    boolean noCache = rs.noCache && rs.noCacheFields.isEmpty();
    // must-revalidate (and proxy-revalidate in a shared cache) forbid serving stale (5.2.2.2).
    boolean strict = rs.mustRevalidate || (rules.shared() && rs.proxyRevalidate) || noCache;

    boolean fresh = !expired;
    if (fresh && rq.maxAge != CacheControl.ABSENT && age(stored, now).getSeconds() > rq.maxAge) {
      fresh = false;
    }
    if (fresh
        && rq.minFresh != CacheControl.ABSENT
        && expires != null
        && Duration.between(now, expires).getSeconds() < rq.minFresh) {
      fresh = false;
    }
    boolean staleAccepted =
        expired
            && rq.maxStale != CacheControl.ABSENT
            && !strict
            && staleness.getSeconds() <= rq.maxStale;
    Duration staleIfError = longest(rules.staleIfError(), delta(rq.staleIfError));
    if (rules.cacheControl()) {
      staleIfError = longest(staleIfError, delta(rs.staleIfError));
    }
    boolean errorFallback =
        !expired || (!strict && staleIfError != null && staleness.compareTo(staleIfError) <= 0);

    if (offline) {
      // Never the network: a stored response that may be used without validation, or a 504.
      boolean usable = fresh || staleAccepted || (expired && errorFallback);
      return usable ? new CacheDecision.Serve(stored) : new CacheDecision.Unsatisfiable();
    }
    boolean revalidateAnyway =
        rq.noCache
            || noCache
            || ((actions.revalidate() || rules.alwaysRevalidate()) && !(rs.immutable && fresh));
    if ((fresh || staleAccepted) && !revalidateAnyway) {
      return new CacheDecision.Serve(stored);
    }
    Map<String, String> validators = conditionalHeaders(stored.headers());
    Duration whileRevalidate = rules.staleWhileRevalidate();
    if (rules.cacheControl()) {
      whileRevalidate = longest(whileRevalidate, delta(rs.staleWhileRevalidate));
    }
    if (expired
        && !strict
        && !revalidateAnyway
        && whileRevalidate != null
        && staleness.compareTo(whileRevalidate) <= 0) {
      return new CacheDecision.ServeStale(stored, validators);
    }
    if (!validators.isEmpty()) {
      return new CacheDecision.Revalidate(stored, validators, errorFallback);
    }
    if (fresh && actions.revalidate() && !rq.noCache && !noCache) {
      // A soft refresh of an entry without validators serves it untouched, as requests-cache does.
      return new CacheDecision.Serve(stored);
    }
    return new CacheDecision.Fetch(errorFallback ? stored : null);
  }

  private static @Nullable Duration delta(long seconds) {
    return seconds == CacheControl.ABSENT ? null : Duration.ofSeconds(seconds);
  }

  private static @Nullable Duration longest(@Nullable Duration a, @Nullable Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * Returns the current age of a stored response (RFC 9111 section 4.2.3): its initial age from
   * {@code Date} and {@code Age}, plus the time it has been stored.
   */
  public static Duration age(CachedResponse stored, Instant now) {
    Instant created = stored.createdAt();
    Duration initial = stored.initialAge(Freshness::initialAge);
    return now.isAfter(created) ? initial.plus(Duration.between(created, now)) : initial;
  }

  /**
   * Returns {@link #age} in whole seconds, as the {@code Age} header says it (RFC 9111 section
   * 5.1), without building a {@link Duration}: a hit asks it on every response served.
   */
  public static long ageSeconds(CachedResponse stored, Instant now) {
    Instant created = stored.createdAt();
    Duration initial = stored.initialAge(Freshness::initialAge);
    if (!now.isAfter(created)) {
      return initial.getSeconds();
    }
    long nanos = (long) initial.getNano() + now.getNano() - created.getNano();
    return initial.getSeconds()
        + (now.getEpochSecond() - created.getEpochSecond())
        + Math.floorDiv(nanos, 1_000_000_000L);
  }

  /** Whether a method is unsafe, so that a success invalidates (RFC 9111 section 4.4). */
  public static boolean isUnsafe(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
      case "OPTIONS":
      case "TRACE":
        return false;
      default:
        return true;
    }
  }

  /**
   * Whether a request's own conditional headers are satisfied by a stored response, so that it may
   * be answered with 304 (RFC 9110 section 13.2.2): {@code If-None-Match} by weak comparison with
   * its {@code ETag}; without it, {@code If-Modified-Since} by its {@code Last-Modified}.
   */
  public static boolean satisfies(HttpHeaders request, HttpHeaders stored) {
    List<String> noneMatch = request.allValues("If-None-Match");
    if (!noneMatch.isEmpty()) {
      Optional<String> etag = stored.firstValue("ETag");
      if (etag.isEmpty()) {
        return false;
      }
      String mine = weak(etag.get());
      for (String value : noneMatch) {
        for (String candidate : value.split(",", -1)) {
          String c = candidate.trim();
          if (c.equals("*") || weak(c).equals(mine)) {
            return true;
          }
        }
      }
      return false;
    }
    String sinceHeader = HeaderMaps.first(request, "If-Modified-Since");
    if (sinceHeader == null) {
      return false; // the common case on a hit: no date to parse
    }
    Instant since = HttpDates.parse(sinceHeader);
    Instant modified = HttpDates.parse(HeaderMaps.first(stored, "Last-Modified"));
    return since != null && modified != null && !modified.isAfter(since);
  }

  private static String weak(String etag) {
    String t = etag.trim();
    return t.startsWith("W/") ? t.substring(2) : t;
  }

  /** Returns the conditional request headers that revalidate a response with these headers. */
  public static Map<String, String> conditionalHeaders(HttpHeaders headers) {
    Map<String, String> out = new LinkedHashMap<>(2);
    String etag = HeaderMaps.first(headers, "ETag");
    if (etag != null) {
      out.put("If-None-Match", etag);
    }
    String lastModified = HeaderMaps.first(headers, "Last-Modified");
    if (lastModified != null) {
      out.put("If-Modified-Since", lastModified);
    }
    return out;
  }

  /** Whether a response with these headers carries a validator. */
  public static boolean hasValidator(HttpHeaders headers) {
    return HeaderMaps.first(headers, "ETag") != null
        || HeaderMaps.first(headers, "Last-Modified") != null;
  }

  /**
   * Whether a response may be stored, judged from its status and headers before its body is read,
   * with requests-cache's defaults (response directives ignored).
   */
  public static boolean mayStore(
      Actions actions, boolean allowed, HttpHeaders headers, Instant now) {
    return mayStore(actions, allowed, NO_HEADERS, 200, headers, now);
  }

  /**
   * Whether a response may be stored (RFC 9111 section 3 under {@link Rules#cacheControl()}),
   * judged from the request's and the response's headers before the body is read.
   *
   * @param actions what the settings and options allow for this request
   * @param allowed whether the status code is one of the allowable codes
   * @param requestHeaders the request's headers
   * @param status the response's status code
   * @param headers the response headers
   * @param now the current time
   */
  public static boolean mayStore(
      Actions actions,
      boolean allowed,
      HttpHeaders requestHeaders,
      int status,
      HttpHeaders headers,
      Instant now) {
    ExpireAfter expireAfter = actions.expireAfter();
    if (!actions.write() || !allowed || expireAfter.isDoNotCache()) {
      return false;
    }
    if (CacheControl.ofRequest(requestHeaders).noStore) {
      return false;
    }
    Rules rules = actions.rules();
    if (rules.cacheControl()) {
      CacheControl rs = CacheControl.ofResponse(headers);
      boolean understood = UNDERSTOOD_STATUSES.contains(status);
      if (rs.mustUnderstand ? !understood : rs.noStore) {
        return false;
      }
      if (status == 206 || status == 304) {
        return false; // partial content is not assembled; a 304 only updates what is stored
      }
      if (rules.shared()) {
        if (rs.isPrivate && rs.privateFields.isEmpty()) {
          return false;
        }
        if (requestHeaders.firstValue("Authorization").isPresent()
            && !(rs.mustRevalidate || rs.isPublic || rs.sMaxAge != CacheControl.ABSENT)) {
          return false; // section 3.5
        }
      }
      if (expireAfter.isFromHeaders()) {
        boolean explicit =
            rs.maxAge != CacheControl.ABSENT
                || (rules.shared() && rs.sMaxAge != CacheControl.ABSENT)
                || headers.firstValue("Expires").isPresent()
                || rs.isPublic
                || (!rules.shared() && rs.isPrivate);
        if (!explicit && !Freshness.HEURISTIC_STATUSES.contains(status)) {
          return false;
        }
        Instant expires = expiresAt(actions, status, headers, now);
        // Stale from the start: worth keeping only to revalidate, or to answer while stale.
        return (expires != null && expires.isAfter(now))
            || hasValidator(headers)
            || rs.staleWhileRevalidate > 0
            || rs.staleIfError > 0
            || rules.staleIfError() != null
            || rules.staleWhileRevalidate() != null;
      }
    }
    // A response that expires at once is only worth keeping for its validators.
    return !expireAfter.isImmediate(now) || hasValidator(headers);
  }

  /**
   * Returns when a response received at {@code receivedAt} expires, or {@code null} when it never
   * does: by the actions' expiration, or, for {@link ExpireAfter#FROM_HEADERS}, by its freshness
   * lifetime less its initial age (RFC 9111 section 4.2).
   */
  public static @Nullable Instant expiresAt(
      Actions actions, int status, HttpHeaders headers, Instant receivedAt) {
    ExpireAfter expireAfter = actions.expireAfter();
    if (!expireAfter.isFromHeaders()) {
      return expireAfter.isDoNotCache() ? receivedAt : expireAfter.expiresAt(receivedAt);
    }
    Rules rules = actions.rules();
    CacheControl rs = CacheControl.ofResponse(headers);
    Optional<Duration> lifetime =
        Freshness.lifetime(status, headers, rs, receivedAt, rules.shared(), rules.heuristicLimit());
    if (lifetime.isEmpty()) {
      return receivedAt;
    }
    Duration remaining = lifetime.get().minus(Freshness.initialAge(headers, receivedAt));
    try {
      return receivedAt.plus(remaining);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      return null; // beyond what an Instant holds: as good as never
    }
  }

  /**
   * Returns the headers of a response as they may be stored: without hop-by-hop headers, those the
   * {@code Connection} header names, and (under {@link Rules#cacheControl()}) the fields named by
   * {@code no-cache="..."} and, in a shared cache, {@code private="..."}.
   */
  public static HttpHeaders storableHeaders(HttpHeaders headers, Rules rules) {
    Map<String, List<String>> map = headers.map();
    // The names to drop beyond the hop-by-hop ones, in lower case; null while there are none.
    Set<String> named = null;
    List<String> connection = map.get("Connection");
    if (connection != null) {
      named = new HashSet<>();
      for (String value : connection) {
        for (String name : value.split(",", -1)) {
          named.add(name.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    if (rules.cacheControl() && map.containsKey("Cache-Control")) {
      CacheControl rs = CacheControl.ofResponse(headers);
      List<String> privateFields = rules.shared() ? rs.privateFields : List.of();
      if (!rs.noCacheFields.isEmpty() || !privateFields.isEmpty()) {
        named = named == null ? new HashSet<>() : named;
        named.addAll(rs.noCacheFields);
        named.addAll(privateFields);
      }
    }
    boolean any = false;
    for (String name : map.keySet()) {
      if (dropped(name, named)) {
        any = true;
        break;
      }
    }
    if (!any) {
      return headers;
    }
    Set<String> drop = named;
    return HttpHeaders.of(map, (name, value) -> !dropped(name, drop));
  }

  private static boolean dropped(String name, @Nullable Set<String> named) {
    return isHopByHop(name) || (named != null && named.contains(name.toLowerCase(Locale.ROOT)));
  }

  /** Whether a header is hop-by-hop: {@link #HOP_BY_HOP}, looked up after a check of its length. */
  private static boolean isHopByHop(String name) {
    int length = name.length();
    return length < 64 && (HOP_BY_HOP_LENGTHS & (1L << length)) != 0 && HOP_BY_HOP.contains(name);
  }

  /**
   * Returns the headers of a stored response updated by a 304 answer (RFC 9111 section 3.2): each
   * header the 304 carries replaces the stored one of that name, except the fields that describe
   * the stored body ({@code Content-Length}, {@code Content-Encoding}, {@code Content-Range},
   * {@code Content-MD5}, {@code Transfer-Encoding}) and the {@code ETag} that selected it. A 304
   * whose every such header is already stored with the same values changes nothing: {@code stored}
   * itself is returned.
   */
  public static HttpHeaders updateHeaders(HttpHeaders stored, HttpHeaders notModified) {
    if (bringsNothingNew(stored, notModified)) {
      return stored;
    }
    return HeaderMaps.overlay(stored.map(), notModified.map(), name -> !isFramingHeader(name));
  }

  /**
   * Whether each header of a 304 that would update the stored ones is stored already, with the same
   * values: a 304 repeated within the second of its {@code Date}. Cheaper than building the update
   * and comparing it: one lookup per line of the 304, in the stored headers' case-insensitive map.
   */
  private static boolean bringsNothingNew(HttpHeaders stored, HttpHeaders notModified) {
    Map<String, List<String>> have = stored.map();
    for (Map.Entry<String, List<String>> line : notModified.map().entrySet()) {
      String name = line.getKey();
      if (isFramingHeader(name)) {
        continue;
      }
      List<String> values = have.get(name);
      if (values == null || !values.equals(line.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether two sets of headers hold the same lines, names compared in any case: cheaper than
   * {@code equals}, which looks up each name. It may report headers that are the same but built in
   * another order as different, never the reverse; the engine uses it to skip a write that would
   * change nothing.
   */
  public static boolean sameHeaders(HttpHeaders a, HttpHeaders b) {
    return HeaderMaps.sameLines(a, b);
  }

  /**
   * Returns the headers to serve a stored response with when its current age is {@code ageSeconds}:
   * its stored headers with an {@code Age} header (RFC 9111 section 5.1) in place of any stored
   * one.
   */
  public static HttpHeaders servedHeaders(HttpHeaders stored, long ageSeconds) {
    return HeaderMaps.overlay(
        stored.map(), Map.of("Age", List.of(Long.toString(ageSeconds))), name -> true);
  }

  /**
   * The fields a 304 does not update: those that describe the stored body (its framing, coding,
   * range and digest) and the validator that selected it.
   */
  private static boolean isFramingHeader(String name) {
    return name.equalsIgnoreCase("Content-Length")
        || name.equalsIgnoreCase("ETag")
        || name.equalsIgnoreCase("Content-MD5")
        || name.equalsIgnoreCase("Transfer-Encoding")
        || name.equalsIgnoreCase("Content-Encoding")
        || name.equalsIgnoreCase("Content-Range")
        || name.equalsIgnoreCase(":status");
  }
}
