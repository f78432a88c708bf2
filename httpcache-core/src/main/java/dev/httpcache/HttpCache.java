package dev.httpcache;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecException;
import dev.httpcache.codec.IntegrityException;
import dev.httpcache.key.Redactor;
import dev.httpcache.key.RequestKeys;
import dev.httpcache.key.RequestKeys.VaryMatch;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.Actions;
import dev.httpcache.policy.CacheDecision;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.policy.Policy;
import dev.httpcache.policy.Rules;
import dev.httpcache.policy.UrlPattern;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The cache engine: settings, storage and codec, and the decision step between an HTTP client
 * adapter and the storage. Build one with {@link #builder()}, then hand it to an adapter such as
 * {@link dev.httpcache.jdk.CachedHttpClient}.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder()
 *     .storage(Storage.sqlite(Path.of("http_cache.sqlite")))
 *     .expireAfter(Duration.ofHours(1))
 *     .urlExpireAfter("api.example.com/static", ExpireAfter.NEVER_EXPIRE)
 *     .build();
 * HttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
 * }</pre>
 *
 * <p>Defaults follow requests-cache: responses never expire, only status 200 and the methods GET
 * and HEAD are cached, bodies up to 16 MiB are stored, and the storage is the SQLite file {@value
 * Storage#DEFAULT_SQLITE_FILE} in the working directory.
 *
 * <p>An instance is immutable and thread-safe; share one per storage. A fault of the storage or an
 * undecodable entry never fails a request: the cache falls back to the network, logs a warning and
 * tells the {@link CacheListener}. Closing the cache closes its storage.
 */
public final class HttpCache implements Closeable {
  static final System.Logger LOG = System.getLogger(HttpCache.class.getName());

  private static final List<String> METHOD_OVERRIDE_HEADERS =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  /**
   * The parameters ignored by default, as requests-cache has them: the headers {@code
   * Authorization}, {@code Proxy-Authorization}, {@code X-API-Key}, {@code X-Auth-Token}, {@code
   * X-API-Token}, {@code X-Access-Token}, and the query and body fields {@code access_token},
   * {@code api_key}, {@code apikey}. Every name applies to headers, query parameters and body
   * fields alike, in any case.
   */
  public static final List<String> DEFAULT_IGNORED_PARAMETERS =
      List.of(
          "Authorization",
          "Proxy-Authorization",
          "X-API-Key",
          "X-Auth-Token",
          "X-API-Token",
          "X-Access-Token",
          "access_token",
          "api_key",
          "apikey");

  /**
   * The status codes {@link #standard()} stores: every final status but 206 (partial content is not
   * assembled) and 304 (which revalidates instead). Under {@code cacheControl} a code that is not
   * heuristically cacheable is stored only when the response gives its freshness explicitly.
   */
  public static final Set<Integer> STANDARD_CODES = standardCodes();

  private static Set<Integer> standardCodes() {
    Set<Integer> codes = new TreeSet<>();
    for (int code = 200; code <= 599; code++) {
      if (code != 206 && code != 304) {
        codes.add(code);
      }
    }
    return Set.copyOf(codes);
  }

  /** The default wait for an identical request ahead: 30 seconds. */
  public static final Duration DEFAULT_COALESCING_TIMEOUT = Duration.ofSeconds(30);

  /** The default longest heuristic freshness: one day. */
  public static final Duration DEFAULT_HEURISTIC_LIMIT = Duration.ofDays(1);

  /** The longest key a {@link KeyFunction} may return. */
  static final int MAX_KEY_LENGTH = 512;

  /** The default largest body stored: 16 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024;

  private final Storage storage;
  private final Codec codec;
  private final ExpireAfter expireAfter;
  private final @Nullable ExpireAfter explicitExpireAfter;
  private final Rules rules;
  private final List<Map.Entry<UrlPattern, ExpireAfter>> urlRules;
  private final Set<Integer> allowableCodes;
  private final Set<String> allowableMethods;
  private final Predicate<CachedResponse> filter;
  private final int maxBodySize;
  private final InstantSource clock;
  private final Counters listener;
  private final boolean writeBehind;
  private final long maxEntries;
  private final long maxBytes;
  private final @Nullable Duration purgeExpiredEvery;
  private final @Nullable ScheduledExecutorService purger;
  private final Maintenance maintenance;
  private final List<String> ignoredParameters;
  private final boolean matchAllHeaders;
  private final List<String> matchHeaders;
  private final byte[] keySecret;
  private final @Nullable KeyFunction keyFunction;
  private final boolean refetchOnIntegrityFailure;
  private final RequestKeys keys;
  private final Redactor redactor;
  private final java.util.function.Function<CachedRequest, String> defaultKey;
  private final Duration coalescingTimeout;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight =
      new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final Semaphore refreshSlots = new Semaphore(MAX_REFRESHES);

  /** How often a storage fault is logged at WARNING, at most; the others go to DEBUG. */
  static final long FAULT_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final AtomicLong lastFaultLogged =
      new AtomicLong(System.nanoTime() - FAULT_LOG_INTERVAL_NANOS);

  /** How many keys the key memo holds before it is emptied. */
  static final int MAX_KEY_MEMO = 4096;

  /** How many bytes of entries the memo of decoded entries holds before it is emptied. */
  static final long MAX_DECODED_MEMO_BYTES = 8L * 1024 * 1024;

  /** The largest entry the memo of decoded entries keeps. */
  static final int MAX_DECODED_MEMO_ENTRY = 256 * 1024;

  private final ConcurrentHashMap<String, KeyMemo> keyMemo = new ConcurrentHashMap<>();

  /** The last decoded response of each entry key, with the exact bytes it was decoded from. */
  private record Decoded(byte[] bytes, CachedResponse response) {}

  private final ConcurrentHashMap<String, Decoded> decodedMemo = new ConcurrentHashMap<>();
  private final AtomicLong decodedMemoBytes = new AtomicLong();

  /** How many background refreshes (stale-while-revalidate) run at once, at most. */
  static final int MAX_REFRESHES = 16;

  static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private HttpCache(Builder b, Storage storage, byte[] keySecret) {
    this.writeBehind = b.writeBehind;
    this.listener = new Counters(b.listener);
    this.storage =
        b.writeBehind ? new WriteBehind(storage, this::storageFault, listener::onEvicted) : storage;
    this.codec = b.codec;
    this.explicitExpireAfter = b.expireAfter;
    this.expireAfter =
        b.expireAfter != null
            ? b.expireAfter
            : b.cacheControl ? ExpireAfter.FROM_HEADERS : ExpireAfter.NEVER_EXPIRE;
    this.rules =
        new Rules(
            b.cacheControl,
            b.shared,
            b.heuristicLimit,
            b.alwaysRevalidate,
            b.readOnly,
            b.staleIfError,
            b.staleWhileRevalidate);
    this.urlRules = List.copyOf(b.urlRules);
    this.allowableCodes = Set.copyOf(b.allowableCodes);
    this.allowableMethods = Set.copyOf(b.allowableMethods);
    this.filter = b.filter;
    this.maxBodySize = b.maxBodySize;
    this.clock = b.clock;
    this.maxEntries = b.maxEntries;
    this.maxBytes = b.maxBytes;
    this.purgeExpiredEvery = b.purgeExpiredEvery;
    this.ignoredParameters = List.copyOf(b.ignoredParameters);
    this.matchAllHeaders = b.matchAllHeaders;
    this.matchHeaders = List.copyOf(b.matchHeaders);
    this.keySecret = keySecret;
    this.keyFunction = b.keyFunction;
    this.refetchOnIntegrityFailure = b.refetchOnIntegrityFailure;
    this.redactor = Redactor.of(ignoredParameters);
    this.keys = RequestKeys.of(redactor, matchAllHeaders, matchHeaders, keySecret);
    this.defaultKey = keys::key;
    this.coalescingTimeout = b.coalescingTimeout;
    this.maintenance = new Maintenance(this);
    this.purger = purgeExpiredEvery == null ? null : startPurger(purgeExpiredEvery);
  }

  private ScheduledExecutorService startPurger(Duration every) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "httpcache-purge");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(1, every.toMillis());
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            long removed = maintenance.delete(EntryFilter.expired());
            LOG.log(Level.DEBUG, "Purged {0} expired entries", removed);
          } catch (IOException | RuntimeException e) {
            storageFault("purge", e);
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return executor;
  }

  /** Returns a new builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this cache's settings and storage. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.storage = storage instanceof WriteBehind ? ((WriteBehind) storage).delegate() : storage;
    b.codec = codec;
    b.expireAfter = explicitExpireAfter;
    b.cacheControl = rules.cacheControl();
    b.shared = rules.shared();
    b.heuristicLimit = rules.heuristicLimit();
    b.alwaysRevalidate = rules.alwaysRevalidate();
    b.readOnly = rules.readOnly();
    b.staleIfError = rules.staleIfError();
    b.staleWhileRevalidate = rules.staleWhileRevalidate();
    b.urlRules.addAll(urlRules);
    b.allowableCodes = new TreeSet<>(allowableCodes);
    b.allowableMethods = new TreeSet<>(allowableMethods);
    b.filter = filter;
    b.maxBodySize = maxBodySize;
    b.clock = clock;
    b.listener = listener.user();
    b.writeBehind = writeBehind;
    b.maxEntries = maxEntries;
    b.maxBytes = maxBytes;
    b.purgeExpiredEvery = purgeExpiredEvery;
    b.ignoredParameters = new ArrayList<>(ignoredParameters);
    b.matchAllHeaders = matchAllHeaders;
    b.matchHeaders = new ArrayList<>(matchHeaders);
    b.keySecret = keySecret.clone();
    b.keyFunction = keyFunction;
    b.refetchOnIntegrityFailure = refetchOnIntegrityFailure;
    b.coalescingTimeout = coalescingTimeout;
    return b;
  }

  /**
   * Returns the storage this cache reads and writes: under {@link Builder#writeBehind}, a view that
   * includes the writes not yet handed to the storage beneath.
   */
  public Storage storage() {
    return storage;
  }

  /**
   * Waits until every response stored so far has reached the storage (under {@link
   * Builder#writeBehind}; otherwise every write already has).
   *
   * @throws IOException when interrupted
   */
  public void flush() throws IOException {
    if (storage instanceof WriteBehind) {
      ((WriteBehind) storage).flush();
    }
  }

  /** Returns the codec that encodes entries. */
  public Codec codec() {
    return codec;
  }

  /** Returns the rules of freshness and staleness this cache follows. */
  public Rules rules() {
    return rules;
  }

  /**
   * Returns a builder for a cache that follows the HTTP caching standard (RFC 9111) as a private
   * cache: {@code cacheControl(true)}, heuristic freshness on (at most one day), and the status
   * codes a client cache may store ({@link #STANDARD_CODES}). Everything can still be changed.
   *
   * <pre>{@code
   * HttpCache cache = HttpCache.standard().storage(Storage.sqlite()).build();
   * }</pre>
   */
  public static Builder standard() {
    return builder().cacheControl(true).heuristicFreshness(true).allowableCodes(STANDARD_CODES);
  }

  /** Returns the default expiration. */
  public ExpireAfter expireAfter() {
    return expireAfter;
  }

  /** Returns the status codes whose responses are stored. */
  public Set<Integer> allowableCodes() {
    return allowableCodes;
  }

  /** Returns the methods whose requests use the cache. */
  public Set<String> allowableMethods() {
    return allowableMethods;
  }

  /**
   * Whether a request with this method and these headers uses the cache: its method, or the method
   * named by one of the override headers {@code X-HTTP-Method-Override}, {@code X-HTTP-Method} and
   * {@code X-Method-Override}, is one of the {@linkplain #allowableMethods() allowable methods}.
   * The key still uses the real method.
   */
  public boolean allowsMethod(String method, HttpHeaders headers) {
    // A method written in upper case, as nearly every one is, is looked up as it is.
    if (allowableMethods.contains(method)
        || allowableMethods.contains(method.toUpperCase(Locale.ROOT))) {
      return true;
    }
    for (String name : METHOD_OVERRIDE_HEADERS) {
      for (String value : headers.allValues(name)) {
        if (allowableMethods.contains(value.trim().toUpperCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns the largest response body, in bytes, that is stored. */
  public int maxBodySize() {
    return maxBodySize;
  }

  /** Returns the clock the cache reads the time from. */
  public InstantSource clock() {
    return clock;
  }

  /**
   * Returns {@code uri} as it may appear in a log line or an error message: the values of ignored
   * query parameters and the password of its user info replaced by {@value Redactor#REDACTED}.
   */
  public String redacted(URI uri) {
    return redactor.forLog(Objects.requireNonNull(uri, "uri"));
  }

  /** Returns the ignored parameters: left out of matching and redacted from storage. */
  public List<String> ignoredParameters() {
    return ignoredParameters;
  }

  /**
   * Returns the cache key of {@code request}: by default 64 hex digits of a SHA-256 hash over the
   * method, the normalized URL and body and the matched headers, ignored values counting as {@value
   * Redactor#REDACTED}; else what the {@linkplain Builder#keyFunction key function} returns.
   *
   * @throws IllegalStateException when the key function returns a blank or overlong key
   */
  public String key(CachedRequest request) {
    Objects.requireNonNull(request, "request");
    KeyFunction function = keyFunction;
    if (function == null) {
      return memoizedKey(request);
    }
    String key = function.key(request, defaultKey);
    if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalStateException(
          "the key function returned "
              + (key == null ? "null" : key.isBlank() ? "a blank key" : "a key over 512 chars")
              + " for "
              + request);
    }
    return key;
  }

  /**
   * Returns the default key of {@code request}, from a small memo when the key depends on the
   * method and URL alone (no body, no matched headers): the hit path then skips normalizing the URL
   * and hashing it. The memo is bounded and emptied when full.
   */
  private String memoizedKey(CachedRequest request) {
    if (matchAllHeaders || !matchHeaders.isEmpty() || request.bodyUnsafe().length != 0) {
      return keys.key(request);
    }
    String uri = request.uri().toString(); // the exact text: two spellings never share a key
    KeyMemo memo = keyMemo.get(uri);
    String method = request.method();
    if (memo != null && memo.method.equals(method)) {
      return memo.key;
    }
    String key = keys.key(request);
    if (keyMemo.size() >= MAX_KEY_MEMO) {
      keyMemo.clear();
    }
    keyMemo.put(uri, new KeyMemo(method, key));
    return key;
  }

  /** A remembered key: of a bodiless request with this method to the URI it is filed under. */
  private record KeyMemo(String method, String key) {}

  /**
   * Whether a stored response, fresh or not, would be considered for {@code request} with the
   * current settings: under its key (or a redirect alias), or for a response that varies, the
   * variant this request would get. Refused entries and those the filter rejects do not count.
   * False when the storage fails; the fault is reported to the listener.
   */
  public boolean contains(CachedRequest request) {
    try {
      return lookup(key(request), request, false).stored() != null;
    } catch (IntegrityException e) {
      return false; // not raised when report is false
    }
  }

  /** Whether a response to a GET of {@code uri} is stored; see {@link #contains(CachedRequest)}. */
  public boolean contains(URI uri) {
    return contains(CachedRequest.get(Objects.requireNonNull(uri, "uri")));
  }

  /**
   * Whether an entry is stored under {@code key}, or a redirect alias by that key.
   *
   * @throws IOException when the storage cannot be read
   */
  public boolean containsKey(String key) throws IOException {
    Objects.requireNonNull(key, "key");
    return storage.get(Namespace.RESPONSES, key).isPresent()
        || storage.get(Namespace.REDIRECTS, key).isPresent();
  }

  /**
   * Returns the expiration that applies to a request: the per-request option, else the first URL
   * pattern that matches, else the cache's default.
   */
  public ExpireAfter expirationFor(CachedRequest request, RequestOptions options) {
    Optional<ExpireAfter> own = options.expireAfter();
    if (own.isPresent()) {
      return own.get();
    }
    for (Map.Entry<UrlPattern, ExpireAfter> rule : urlRules) {
      if (rule.getKey().matches(request.uri())) {
        return rule.getValue();
      }
    }
    return expireAfter;
  }

  /**
   * Starts the cache's part of one request: computes its key and actions, reads and decodes the
   * stored entry, and decides what to do. This reads the storage, so asynchronous adapters call it
   * off the caller's thread.
   *
   * <p>Never throws for storage or codec faults: those are reported and make a miss.
   *
   * @throws IntegrityException when the stored entry failed its integrity check (a signed or
   *     encrypted entry was tampered with) and the cache raises such failures, as it does by
   *     default
   */
  public Exchange begin(CachedRequest request, RequestOptions options) throws IntegrityException {
    return begin(request, options, true);
  }

  /**
   * Starts the cache's part of one request, as {@link #begin(CachedRequest, RequestOptions)} does;
   * with {@code coalesce} false, the request never waits for an identical one (adapters pass false
   * when they begin again after waiting).
   *
   * @throws IntegrityException when the stored entry failed its integrity check and the cache
   *     raises such failures
   */
  public Exchange begin(CachedRequest request, RequestOptions options, boolean coalesce)
      throws IntegrityException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(options, "options");
    String key;
    Actions actions;
    try {
      key = key(request);
      actions = actions(request, options);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The cache key function failed; not caching " + request, e);
      key = keys.key(request);
      actions = actions(request, RequestOptions.SKIP_CACHE);
    }
    Lookup found = actions.read() ? lookup(key, request, true) : new Lookup(key, null);
    Instant now = clock.instant();
    CacheDecision decision = Policy.decide(actions, request.headers(), found.stored(), now);
    if (decision instanceof CacheDecision.Serve || decision instanceof CacheDecision.ServeStale) {
      listener.onHit(found.key());
    } else if (actions.read()) {
      listener.onMiss(found.key());
    }
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "{0}: {1} ({2})", request, decision.getClass().getSimpleName(), actions);
    }
    CompletableFuture<Void> awaited = null;
    Runnable onDone = null;
    if (coalesce
        && actions.write()
        && (decision instanceof CacheDecision.Fetch
            || decision instanceof CacheDecision.Revalidate)) {
      // Concurrent identical misses: the first goes to the network, the others wait for it.
      String flight = found.key();
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> ahead = inFlight.putIfAbsent(flight, mine);
      if (ahead != null) {
        awaited = ahead;
      } else {
        onDone =
            () -> {
              inFlight.remove(flight, mine);
              mine.complete(null);
            };
      }
    }
    return new Exchange(this, request, found.key(), actions, decision, now, awaited, onDone);
  }

  /** Returns how long a request waits for an identical one ahead of it before it goes on. */
  public Duration coalescingTimeout() {
    return coalescingTimeout;
  }

  /** Takes a background-refresh slot for {@code key}: false when one runs or too many do. */
  boolean startRefresh(String key) {
    if (!refreshSlots.tryAcquire()) {
      return false;
    }
    if (!refreshing.add(key)) {
      refreshSlots.release();
      return false;
    }
    return true;
  }

  void endRefresh(String key) {
    if (refreshing.remove(key)) {
      refreshSlots.release();
    }
  }

  /**
   * Invalidates after a successful unsafe request (RFC 9111 section 4.4): the stored responses for
   * its URL (GET and HEAD), and for same-origin {@code Location} and {@code Content-Location}.
   */
  void invalidateAfter(CachedRequest request, int status, HttpHeaders responseHeaders) {
    if (!Policy.isUnsafe(request.method()) || status < 200 || status >= 400) {
      return;
    }
    List<URI> targets = new ArrayList<>(3);
    targets.add(request.uri());
    for (String name : List.of("Location", "Content-Location")) {
      Optional<String> value = responseHeaders.firstValue(name);
      if (value.isPresent()) {
        try {
          URI target = request.uri().resolve(value.get().trim());
          if (sameOrigin(target, request.uri())) {
            targets.add(target);
          }
        } catch (IllegalArgumentException e) {
          // A malformed Location invalidates nothing more.
        }
      }
    }
    for (URI target : targets) {
      for (String method : List.of("GET", "HEAD")) {
        for (CachedRequest probe :
            List.of(
                CachedRequest.ofOwned(method, target, request.headers(), new byte[0]),
                CachedRequest.ofOwned(method, target, NO_HEADERS, new byte[0]))) {
          try {
            String k = key(probe);
            remove(k);
            storage.remove(Namespace.REDIRECTS, k);
          } catch (IOException | RuntimeException e) {
            storageFault("invalidate", e);
          }
        }
      }
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI uri) {
    return uri.getPort() != -1
        ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /**
   * Where a request's response lives: the key to read and write (the request's key, or the
   * secondary key of its variant) and the stored response that may answer it, if any.
   */
  private record Lookup(String key, @Nullable CachedResponse stored) {}

  /**
   * Finds the stored response that may answer {@code request}: the entry under its key when that
   * entry's {@code Vary} matches, else the entry of the request's variant. A refused or rejected
   * entry is not returned at all, so neither it nor its validators are used.
   *
   * @param report whether to tell the listener and delete entries the filter rejects
   */
  private Lookup lookup(String key, CachedRequest request, boolean report)
      throws IntegrityException {
    CachedResponse stored = read(key, report);
    if (stored == null) {
      return new Lookup(key, null);
    }
    List<String> vary = stored.varyNames();
    VaryMatch match = keys.matchVary(vary, stored.request(), request);
    if (match == VaryMatch.MATCH) {
      return new Lookup(key, accepted(key, stored, report));
    }
    if (match == VaryMatch.REFUSED) {
      refused(key, request, report);
      return new Lookup(key, null);
    }
    String variantKey = keys.variantKey(key, vary, request);
    CachedResponse variant = read(variantKey, report);
    if (variant == null) {
      return new Lookup(variantKey, null);
    }
    VaryMatch variantMatch = keys.matchVary(variant.varyNames(), variant.request(), request);
    if (variantMatch == VaryMatch.REFUSED) {
      refused(variantKey, request, report);
    }
    CachedResponse found =
        variantMatch == VaryMatch.MATCH ? accepted(variantKey, variant, report) : null;
    if (found != null && found.createdAt().isBefore(stored.createdAt())) {
      // Variants live under keys of their own, which an unsafe request's invalidation cannot list;
      // they become reachable again once a new entry is stored under the URL's key. A variant
      // older than that entry may have been invalidated: it is marked invalid, so that it is
      // revalidated (its validators still save the body when nothing changed), never served as is.
      found = found.toBuilder().expires(Instant.MIN).build();
    }
    return new Lookup(variantKey, found);
  }

  private @Nullable CachedResponse accepted(String key, CachedResponse stored, boolean report) {
    if (accepts(stored)) {
      return stored;
    }
    if (report) {
      remove(key);
    }
    return null;
  }

  void refused(String key, CachedRequest request, boolean report) {
    if (!report) {
      return;
    }
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(
          Level.DEBUG,
          "{0}: refused: the response varies on an ignored header that the request carries",
          request);
    }
    try {
      listener.onRefused(key);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cache listener threw", e);
    }
  }

  RequestKeys keys() {
    return keys;
  }

  Redactor redactor() {
    return redactor;
  }

  Actions actions(CachedRequest request, RequestOptions options) {
    ExpireAfter expiration = expirationFor(request, options);
    boolean use =
        allowsMethod(request.method(), request.headers())
            && !options.skipCache()
            && !expiration.isDoNotCache();
    Rules effective = rules;
    if (options.staleIfError().isPresent() || options.staleWhileRevalidate().isPresent()) {
      effective =
          new Rules(
              rules.cacheControl(),
              rules.shared(),
              rules.heuristicLimit(),
              rules.alwaysRevalidate(),
              rules.readOnly(),
              options.staleIfError().orElse(rules.staleIfError()),
              options.staleWhileRevalidate().orElse(rules.staleWhileRevalidate()));
    }
    return new Actions(
        use && !options.forceRefresh(),
        use && !rules.readOnly(),
        expiration,
        options.refresh(),
        options.onlyIfCached(),
        effective);
  }

  /**
   * Reads and decodes the entry under {@code key}, following a redirect alias; null on a miss. An
   * entry of another codec is a miss and is left alone. An entry that cannot be decoded is deleted
   * and reported, unless the codec authenticates entries: then it is an integrity failure.
   *
   * @param raise whether an integrity failure is thrown (when the settings ask for that)
   * @throws IntegrityException when an entry failed its integrity check and the cache raises
   */
  @Nullable CachedResponse read(String key, boolean raise) throws IntegrityException {
    Optional<byte[]> bytes;
    String entryKey = key;
    try {
      bytes = storage.get(Namespace.RESPONSES, key);
      if (bytes.isEmpty()) {
        Optional<byte[]> alias = storage.get(Namespace.REDIRECTS, key);
        if (alias.isEmpty()) {
          return null;
        }
        entryKey = new String(alias.get(), StandardCharsets.US_ASCII);
        bytes = storage.get(Namespace.RESPONSES, entryKey);
        if (bytes.isEmpty()) {
          // The entry was evicted, purged or deleted: the alias leads nowhere any more.
          if (raise) {
            storage.remove(Namespace.REDIRECTS, key);
          }
          return null;
        }
      }
    } catch (IOException | RuntimeException e) {
      storageFault("read", e);
      return null;
    }
    byte[] raw = bytes.get();
    Decoded memo = decodedMemo.get(entryKey);
    if (memo != null && (memo.bytes == raw || Arrays.equals(memo.bytes, raw))) {
      // The same bytes under the same key decode to the same response: skip the codec.
      return aliasChecked(key, entryKey, memo.response, raise);
    }
    CachedResponse response;
    try {
      response = codec.decode(entryKey, Entries.unframe(codec, raw));
    } catch (IntegrityException e) {
      return integrityFailure(entryKey, e, raise);
    } catch (Entries.ForeignEntryException e) {
      // Another codec's entry (a client with other settings on the same storage): a miss that
      // leaves it alone; a write for this request replaces it.
      LOG.log(Level.DEBUG, "Cache entry {0} is not this codec''s: {1}", entryKey, e.getMessage());
      return null;
    } catch (CodecException e) {
      if (codec.authenticates()) {
        // Under signing, bytes that are no entry of this codec are as suspect as a bad signature.
        return integrityFailure(
            entryKey, new IntegrityException(entryKey, String.valueOf(e.getMessage()), e), raise);
      }
      return undecodable(entryKey, e);
    } catch (IOException | RuntimeException e) {
      return undecodable(entryKey, new CodecException("the codec failed: " + e, e));
    }
    remember(entryKey, raw, response);
    return aliasChecked(key, entryKey, response, raise);
  }

  private @Nullable CachedResponse aliasChecked(
      String key, String entryKey, CachedResponse response, boolean raise)
      throws IntegrityException {
    if (!entryKey.equals(key) && codec.authenticates()) {
      // An alias is a bare key in storage: check that it leads to an entry for its own URL.
      String expected = key(CachedRequest.get(response.uri()));
      if (!expected.equals(key)) {
        return integrityFailure(
            key,
            new IntegrityException(key, "its redirect alias leads to an entry of another URL"),
            raise);
      }
    }
    return response;
  }

  /**
   * Keeps a decoded entry with the bytes it came from, so that the next read of the same bytes
   * skips the codec. Bounded in bytes; emptied when full, which costs the next reads a decode.
   */
  private void remember(String entryKey, byte[] raw, CachedResponse response) {
    if (raw.length > MAX_DECODED_MEMO_ENTRY) {
      return;
    }
    if (decodedMemoBytes.addAndGet(raw.length) > MAX_DECODED_MEMO_BYTES) {
      decodedMemo.clear();
      decodedMemoBytes.set(raw.length);
    }
    decodedMemo.put(entryKey, new Decoded(raw, response));
  }

  private @Nullable CachedResponse undecodable(String key, CodecException e) {
    LOG.log(Level.WARNING, "Deleting undecodable cache entry {0}: {1}", key, e.getMessage());
    try {
      listener.onUndecodable(key, e);
    } catch (RuntimeException listenerError) {
      LOG.log(Level.WARNING, "Cache listener threw", listenerError);
    }
    remove(key);
    return null;
  }

  private @Nullable CachedResponse integrityFailure(String key, IntegrityException e, boolean raise)
      throws IntegrityException {
    LOG.log(Level.WARNING, e.getMessage());
    try {
      listener.onIntegrityFailure(key, e);
    } catch (RuntimeException listenerError) {
      LOG.log(Level.WARNING, "Cache listener threw", listenerError);
    }
    if (refetchOnIntegrityFailure) {
      remove(key);
      return null;
    }
    if (raise) {
      throw e;
    }
    return null;
  }

  boolean accepts(CachedResponse response) {
    try {
      return filter.test(response);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The cache filter threw; not caching " + response, e);
      return false;
    }
  }

  void remove(String key) {
    try {
      storage.remove(Namespace.RESPONSES, key);
    } catch (IOException | RuntimeException e) {
      storageFault("remove", e);
    }
  }

  /** Encodes and stores {@code response} under {@code key}; returns whether it was stored. */
  boolean write(String key, CachedResponse response, @Nullable String aliasKey) {
    try {
      byte[] bytes = Entries.frame(codec.name(), codec.encode(key, response));
      storage.put(Namespace.RESPONSES, key, bytes, response.expiresOrNull());
      if (aliasKey != null && !aliasKey.equals(key)) {
        storage.put(
            Namespace.REDIRECTS,
            aliasKey,
            key.getBytes(StandardCharsets.US_ASCII),
            response.expiresOrNull());
      }
      listener.onStored(key, response.bodyLength());
    } catch (IOException | RuntimeException e) {
      storageFault("write", e);
      return false;
    }
    trim();
    return true;
  }

  /** Keeps a bounded cache within its bounds after a write; the listener hears each eviction. */
  private void trim() {
    if (maxEntries == Long.MAX_VALUE && maxBytes == Long.MAX_VALUE) {
      return;
    }
    try {
      for (String evicted : storage.trim(maxEntries, maxBytes)) {
        listener.onEvicted(evicted);
      }
    } catch (IOException | RuntimeException e) {
      storageFault("trim", e);
    }
  }

  /**
   * Points {@code aliasKey} at the entry under {@code entryKey}, in the redirects namespace, until
   * {@code expires} (null for never), the entry's own expiry.
   */
  void writeAlias(String aliasKey, String entryKey, @Nullable Instant expires) {
    if (aliasKey.equals(entryKey)) {
      return;
    }
    try {
      storage.put(
          Namespace.REDIRECTS, aliasKey, entryKey.getBytes(StandardCharsets.US_ASCII), expires);
    } catch (IOException | RuntimeException e) {
      storageFault("write", e);
    }
  }

  void storageFault(String operation, Exception e) {
    IOException io = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
    // A storage that is down fails every request: one WARNING with the trace per interval, the
    // rest one line at DEBUG. The listener hears every fault.
    long now = System.nanoTime();
    long last = lastFaultLogged.get();
    if (now - last >= FAULT_LOG_INTERVAL_NANOS && lastFaultLogged.compareAndSet(last, now)) {
      LOG.log(
          Level.WARNING,
          "Cache storage "
              + operation
              + " failed; continuing without the cache (further faults within "
              + FAULT_LOG_INTERVAL_NANOS / 1_000_000_000L
              + " s are logged at DEBUG)",
          e);
    } else if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, "Cache storage {0} failed: {1}", operation, e.toString());
    }
    try {
      listener.onStorageFault(operation, io);
    } catch (RuntimeException listenerError) {
      LOG.log(Level.WARNING, "Cache listener threw", listenerError);
    }
  }

  CacheListener listener() {
    return listener;
  }

  Predicate<CachedResponse> filter() {
    return filter;
  }

  // ---- inspection and maintenance ----

  /** Returns the raw bytes of the responses namespace: keys, get, put, remove, count. */
  public RawEntries responses() {
    return new RawEntries(storage, Namespace.RESPONSES);
  }

  /** Returns the raw redirect aliases: alias key to the key of the entry it leads to. */
  public RawEntries redirects() {
    return new RawEntries(storage, Namespace.REDIRECTS);
  }

  /**
   * Returns the stored entries that pass {@code filter}, decoded, as a lazy stream over the
   * storage: memory stays flat at any number of entries. Close the stream (try-with-resources) to
   * release what the storage holds for the pass. Entries written or removed while the stream runs
   * may or may not appear.
   *
   * @throws java.io.UncheckedIOException when the storage fails, at once or while streaming
   */
  public Stream<CacheEntry> entries(EntryFilter filter) {
    return maintenance.entries(Objects.requireNonNull(filter, "filter"));
  }

  /**
   * Returns the entry stored under {@code key} (or under the key a redirect alias by that name
   * leads to), decoded, without any effect on the cache: an undecodable entry is returned with its
   * problem, not deleted. requests-cache's {@code get_response}.
   *
   * @throws IOException when the storage cannot be read
   */
  public Optional<CacheEntry> entry(String key) throws IOException {
    return maintenance.entry(Objects.requireNonNull(key, "key"));
  }

  /**
   * Returns the URLs of the stored responses (as stored: secrets redacted, the final URL of a
   * redirect), sorted and without duplicates.
   *
   * @throws java.io.UncheckedIOException when the storage fails
   */
  public List<URI> urls() {
    return maintenance.urls();
  }

  /**
   * Deletes the entries that pass {@code filter}, then the redirect aliases left pointing nowhere.
   * {@link EntryFilter#expired()} alone is answered by the storage's index of expiry times without
   * reading entries.
   *
   * @return how many entries were deleted
   * @throws IOException when the storage fails; what was deleted until then stays deleted
   */
  public long delete(EntryFilter filter) throws IOException {
    return maintenance.delete(Objects.requireNonNull(filter, "filter"));
  }

  /**
   * Deletes the entries and redirect aliases stored under {@code keys}, then the aliases left
   * pointing nowhere.
   *
   * @return how many of the keys held an entry or an alias
   * @throws IOException when the storage fails
   */
  public long delete(String... keys) throws IOException {
    return maintenance.deleteKeys(List.of(keys));
  }

  /**
   * Deletes what is stored for GET and HEAD requests of {@code urls}, under the keys the current
   * settings give them (without request headers), and the aliases left pointing nowhere. Variants
   * of a response that varies live under keys of their own: use {@link EntryFilter#url} to find
   * every entry of a URL.
   *
   * @return how many keys held an entry or an alias
   * @throws IOException when the storage fails
   */
  public long deleteUrls(Collection<URI> urls) throws IOException {
    return maintenance.deleteUrls(List.copyOf(urls));
  }

  /**
   * Deletes what is stored under the keys of {@code requests}, and the aliases left pointing
   * nowhere.
   *
   * @return how many keys held an entry or an alias
   * @throws IOException when the storage fails
   */
  public long deleteRequests(Collection<CachedRequest> requests) throws IOException {
    return maintenance.deleteRequests(List.copyOf(requests));
  }

  /**
   * Sets a new expiry on every decodable entry, relative to now: {@code expireAfter} is a duration
   * ({@link ExpireAfter#of}), a time ({@link ExpireAfter#at}), {@link ExpireAfter#NEVER_EXPIRE} or
   * {@link ExpireAfter#EXPIRE_IMMEDIATELY} (requests-cache's {@code reset_expiration}).
   *
   * @return how many entries were rewritten
   * @throws IllegalArgumentException for {@link ExpireAfter#FROM_HEADERS} or {@link
   *     ExpireAfter#DO_NOT_CACHE}
   * @throws IOException when the storage fails
   */
  public long resetExpiration(ExpireAfter expireAfter) throws IOException {
    return maintenance.resetExpiration(Objects.requireNonNull(expireAfter, "expireAfter"));
  }

  /**
   * Moves every decodable entry to the key that the current settings give its stored request, after
   * a change of the settings that make keys (ignored parameters, matched headers, the key
   * function), as requests-cache's {@code recreate_keys}. An entry whose key depended on the value
   * of a matched secret header (which storage never held) cannot be moved and stays. Redirect
   * aliases of intermediate hops are dropped; the final URL's alias is made again.
   *
   * @return how many entries moved
   * @throws IOException when the storage fails
   */
  public long recreateKeys() throws IOException {
    return maintenance.recreateKeys();
  }

  /**
   * Copies every entry and alias of this cache's storage into {@code target}, as bytes with their
   * expiry; see {@link Storage#copy}.
   *
   * @return how many values were copied
   * @throws IOException when either storage fails
   */
  public long copyTo(Storage target) throws IOException {
    return Storage.copy(storage, Objects.requireNonNull(target, "target"));
  }

  /**
   * Deletes every entry and alias.
   *
   * @throws IOException when the storage fails
   */
  public void clear() throws IOException {
    storage.clear();
  }

  /**
   * Returns what the storage holds now and the counts of events since this cache was built.
   *
   * @throws IOException when the storage cannot be read
   */
  public CacheStats stats() throws IOException {
    return new CacheStats(
        storage.count(Namespace.RESPONSES),
        storage.bytes(Namespace.RESPONSES),
        storage.count(Namespace.REDIRECTS),
        listener.hits.sum(),
        listener.misses.sum(),
        listener.revalidations.sum(),
        listener.staleServed.sum(),
        listener.stored.sum(),
        listener.evictions.sum(),
        listener.errors.sum());
  }

  /** Returns the most entries the cache keeps, {@link Long#MAX_VALUE} when unbounded. */
  public long maxEntries() {
    return maxEntries;
  }

  /** Returns the most bytes of entries the cache keeps, {@link Long#MAX_VALUE} when unbounded. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Stops the background purge, if any, and closes the storage. */
  @Override
  public void close() throws IOException {
    if (purger != null) {
      purger.shutdownNow();
    }
    storage.close();
  }

  @Override
  public String toString() {
    return "HttpCache[storage=" + storage + ", expireAfter=" + expireAfter + "]";
  }

  /**
   * Builds an {@link HttpCache}. Methods are named for the setting they change; {@link #build()}
   * validates and copies. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Storage storage;
    private Codec codec = Codec.binary();
    private @Nullable ExpireAfter expireAfter;
    private boolean cacheControl;
    private boolean shared;
    private @Nullable Duration heuristicLimit;
    private boolean alwaysRevalidate;
    private boolean readOnly;
    private @Nullable Duration staleIfError;
    private @Nullable Duration staleWhileRevalidate;
    private final List<Map.Entry<UrlPattern, ExpireAfter>> urlRules = new ArrayList<>();
    private Set<Integer> allowableCodes = new TreeSet<>(Set.of(200));
    private Set<String> allowableMethods = new TreeSet<>(Set.of("GET", "HEAD"));
    private Predicate<CachedResponse> filter = r -> true;
    private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private InstantSource clock = InstantSource.system();
    private CacheListener listener = CacheListener.NONE;
    private List<String> ignoredParameters = new ArrayList<>(DEFAULT_IGNORED_PARAMETERS);
    private boolean matchAllHeaders;
    private List<String> matchHeaders = new ArrayList<>();
    private byte @Nullable [] keySecret;
    private @Nullable KeyFunction keyFunction;
    private boolean refetchOnIntegrityFailure;
    private Duration coalescingTimeout = DEFAULT_COALESCING_TIMEOUT;
    private long maxEntries = Long.MAX_VALUE;
    private long maxBytes = Long.MAX_VALUE;
    private @Nullable Duration purgeExpiredEvery;
    private boolean writeBehind;

    private Builder() {}

    /**
     * Sets whether responses reach the storage in the background: with {@code true}, a request
     * whose response is stored returns without waiting for the storage, and one daemon thread hands
     * the writes to it in batches (SQLite writes a batch in one transaction, which costs about as
     * much as one write; the thread lets writes gather for up to 2 ms before it writes). This
     * process reads its writes at once; other processes see them after the batch, and writes not
     * yet handed over when the process dies are lost (the cache refetches them). Listing, counting,
     * deleting and {@link HttpCache#close()} wait for the pending writes; {@link HttpCache#flush()}
     * does so on demand. Off by default: a response that a request returned is then in the storage.
     */
    public Builder writeBehind(boolean writeBehind) {
      this.writeBehind = writeBehind;
      return this;
    }

    /**
     * Bounds the number of stored responses: after a write that goes past it, the least recently
     * used responses are evicted until the cache is 1 % under it (so that one eviction pass pays
     * for many writes), and the listener hears {@link CacheListener#onEvicted}. The storage must
     * {@linkplain Storage#evicts() track use} (memory, SQLite, filesystem); Redis bounds itself
     * with its own {@code maxmemory}. Unbounded by default.
     */
    public Builder maxEntries(long entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1, not " + entries);
      }
      this.maxEntries = entries;
      return this;
    }

    /**
     * Bounds the total size of the stored responses, in bytes as the storage holds them (encoded);
     * evicts as {@link #maxEntries} does. The largest single response is bounded by {@link
     * #maxBodySize}. Unbounded by default.
     */
    public Builder maxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBytes must be at least 1, not " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Deletes expired entries in the background, every {@code interval}, on one daemon thread that
     * {@link HttpCache#close()} stops. Expired entries that could still be revalidated or served
     * stale are deleted too; leave this off to keep them. Off by default; {@link
     * HttpCache#delete(EntryFilter)} with {@link EntryFilter#expired()} purges on demand.
     */
    public Builder purgeExpiredEvery(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("purgeExpiredEvery must be positive, not " + interval);
      }
      this.purgeExpiredEvery = interval;
      return this;
    }

    /**
     * Sets how long a request waits for an identical request ahead of it (same key, both misses) to
     * store its response, before it goes to the network itself; zero turns coalescing off. By
     * default {@link HttpCache#DEFAULT_COALESCING_TIMEOUT}.
     */
    public Builder coalescingTimeout(Duration timeout) {
      this.coalescingTimeout = nonNegative(timeout, "coalescingTimeout");
      return this;
    }

    /**
     * Sets what happens when a stored entry fails its integrity check under a signing or encrypting
     * codec. By default ({@code false}) the request fails with an {@link IntegrityException} naming
     * the entry's key, and the entry is kept for inspection: a tampered cache is a security event.
     * With {@code true} the entry is deleted and the request goes to the network, for those who
     * prefer availability. Either way the listener hears {@link CacheListener#onIntegrityFailure}.
     */
    public Builder refetchOnIntegrityFailure(boolean refetch) {
      this.refetchOnIntegrityFailure = refetch;
      return this;
    }

    /**
     * Replaces the ignored parameters: names of headers, query parameters and body fields (JSON at
     * every depth, forms) that are left out of matching (their presence still counts, their value
     * does not) and whose values are replaced by {@value Redactor#REDACTED} in everything stored.
     * Names match in any case. By default {@link HttpCache#DEFAULT_IGNORED_PARAMETERS}; an empty
     * list turns ignoring and redaction off. To add to the defaults, use {@link
     * #addIgnoredParameters}.
     */
    public Builder ignoredParameters(Collection<String> names) {
      this.ignoredParameters = names("ignoredParameters", names);
      return this;
    }

    /** Copies a list of names, refusing blank ones. */
    private static List<String> names(String setting, Collection<String> names) {
      List<String> copy = new ArrayList<>(names.size());
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("blank name in " + setting + ": " + names);
        }
        copy.add(name);
      }
      return copy;
    }

    /** Adds names to the ignored parameters (the defaults, unless they were replaced). */
    public Builder addIgnoredParameters(String... names) {
      List<String> all = new ArrayList<>(ignoredParameters);
      all.addAll(List.of(names));
      return ignoredParameters(all);
    }

    /**
     * Makes these request headers part of the key (names in any case; values compared with comma
     * lists trimmed and sorted). A header that is also ignored takes part through an HMAC of its
     * value while its value is still redacted in storage: one entry per token, no token stored. By
     * default no header is matched.
     */
    public Builder matchHeaders(Collection<String> names) {
      this.matchHeaders = names("matchHeaders", names);
      this.matchAllHeaders = false;
      return this;
    }

    /** Makes these request headers part of the key; see {@link #matchHeaders(Collection)}. */
    public Builder matchHeaders(String... names) {
      return matchHeaders(List.of(names));
    }

    /**
     * Makes every request header the caller set part of the key (ignored ones through an HMAC of
     * their value); {@code false} goes back to the headers named by {@link #matchHeaders}.
     */
    public Builder matchAllHeaders(boolean all) {
      this.matchAllHeaders = all;
      return this;
    }

    /**
     * Sets the secret of the HMAC through which matched secret headers take part in the key; at
     * least 16 bytes. Keys then stay the same across restarts and across processes that share the
     * secret. By default each cache draws a random secret, so entries keyed by a matched secret
     * header are only found again by the same {@code HttpCache}.
     */
    public Builder keySecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 16) {
        throw new IllegalArgumentException(
            "keySecret is " + secret.length + " bytes; use at least 16 random bytes");
      }
      this.keySecret = secret.clone();
      return this;
    }

    /** Sets a function that replaces or wraps the default cache key. */
    public Builder keyFunction(KeyFunction keyFunction) {
      this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
      return this;
    }

    /** Sets the storage; by default the SQLite file {@value Storage#DEFAULT_SQLITE_FILE}. */
    public Builder storage(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /** Sets the codec that encodes entries; by default {@link Codec#binary()}. */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Makes response headers decide freshness and storing, as RFC 9111 has them ({@code
     * Cache-Control}, {@code Expires}, {@code Age}, {@code Date}), wherever no expiration was set
     * for the request, its URL or by {@link #expireAfter}: those still come first, in that order.
     * Response directives ({@code no-store}, {@code no-cache}, {@code must-revalidate}, {@code
     * private}, ...) are obeyed whatever the expiration. Off by default, as in requests-cache.
     */
    public Builder cacheControl(boolean cacheControl) {
      this.cacheControl = cacheControl;
      return this;
    }

    /**
     * Makes this a shared cache, for a server that caches for many users: {@code s-maxage} and
     * {@code proxy-revalidate} apply, {@code private} responses are not stored, nor responses to
     * requests with {@code Authorization} unless they allow it (RFC 9111 section 3.5). Only with
     * {@link #cacheControl}. Off by default: a private cache.
     */
    public Builder shared(boolean shared) {
      this.shared = shared;
      return this;
    }

    /**
     * Turns heuristic freshness on (RFC 9111 section 4.2.2): a response with no explicit freshness
     * and a {@code Last-Modified} stays fresh for 10 % of its age, at most {@link
     * HttpCache#DEFAULT_HEURISTIC_LIMIT}. Only with {@link #cacheControl}.
     */
    public Builder heuristicFreshness(boolean on) {
      this.heuristicLimit = on ? DEFAULT_HEURISTIC_LIMIT : null;
      return this;
    }

    /** Turns heuristic freshness on with another upper bound. */
    public Builder heuristicFreshness(Duration limit) {
      Objects.requireNonNull(limit, "limit");
      if (limit.isNegative()) {
        throw new IllegalArgumentException("negative heuristic freshness limit: " + limit);
      }
      this.heuristicLimit = limit;
      return this;
    }

    /** Revalidates a stored response that has a validator on every use, fresh or not. */
    public Builder alwaysRevalidate(boolean alwaysRevalidate) {
      this.alwaysRevalidate = alwaysRevalidate;
      return this;
    }

    /** Reads stored responses and never writes, not even a revalidation's new headers. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Lets a stored response that is stale by at most {@code maxStaleness} answer when the network
     * fails or the origin answers with a 5xx status (stale-if-error); {@link Rules#ANY_STALENESS}
     * for any. A request's own {@code stale-if-error} directive and, under {@link #cacheControl},
     * the response's, can allow longer. {@code must-revalidate} forbids it.
     */
    public Builder staleIfError(Duration maxStaleness) {
      this.staleIfError = nonNegative(maxStaleness, "staleIfError");
      return this;
    }

    /**
     * Lets a stored response that is stale by at most {@code window} answer at once while it is
     * refreshed in the background (stale-while-revalidate); {@link Rules#ANY_STALENESS} for any. At
     * most one refresh per entry runs at a time.
     */
    public Builder staleWhileRevalidate(Duration window) {
      this.staleWhileRevalidate = nonNegative(window, "staleWhileRevalidate");
      return this;
    }

    static Duration nonNegative(Duration d, String setting) {
      Objects.requireNonNull(d, setting);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative " + setting + ": " + d);
      }
      return d;
    }

    /** Sets how long responses stay fresh once stored; by default they never expire. */
    public Builder expireAfter(Duration duration) {
      return expireAfter(ExpireAfter.of(duration));
    }

    /** Sets the default expiration, a duration or one of the special values. */
    public Builder expireAfter(ExpireAfter expireAfter) {
      this.expireAfter = Objects.requireNonNull(expireAfter, "expireAfter");
      return this;
    }

    /**
     * Adds a URL pattern with its own expiration. Patterns are tried in the order they were added
     * and the first that matches wins; a per-request option still overrides them. See {@link
     * UrlPattern#glob} for the syntax: {@code "api.example.com/v1"} is a prefix, {@code
     * "*.example.com"} any subdomain, and {@code "*"} with {@link ExpireAfter#DO_NOT_CACHE} as the
     * last pattern makes the others an allow-list.
     */
    public Builder urlExpireAfter(String glob, ExpireAfter expireAfter) {
      return urlExpireAfter(UrlPattern.glob(glob), expireAfter);
    }

    /** Adds a URL pattern with a duration; see {@link #urlExpireAfter(String, ExpireAfter)}. */
    public Builder urlExpireAfter(String glob, Duration duration) {
      return urlExpireAfter(UrlPattern.glob(glob), ExpireAfter.of(duration));
    }

    /** Adds a URL pattern (a glob or a regular expression) with its own expiration. */
    public Builder urlExpireAfter(UrlPattern pattern, ExpireAfter expireAfter) {
      urlRules.add(
          Map.entry(
              Objects.requireNonNull(pattern, "pattern"),
              Objects.requireNonNull(expireAfter, "expireAfter")));
      return this;
    }

    /**
     * Replaces the URL patterns with the globs of {@code rules}, in its iteration order (pass a
     * {@link LinkedHashMap} to keep the order you wrote).
     */
    public Builder urlsExpireAfter(Map<String, ExpireAfter> rules) {
      urlRules.clear();
      new LinkedHashMap<>(rules).forEach(this::urlExpireAfter);
      return this;
    }

    /** Sets the status codes whose responses are stored; by default only 200. */
    public Builder allowableCodes(Set<Integer> codes) {
      for (Integer code : codes) {
        if (code < 100 || code > 999) {
          throw new IllegalArgumentException("not an HTTP status code: " + code);
        }
      }
      this.allowableCodes = new TreeSet<>(codes);
      return this;
    }

    /**
     * Sets the methods whose requests use the cache, matched case-insensitively; by default GET and
     * HEAD. Requests of other methods neither read nor write.
     */
    public Builder allowableMethods(Set<String> methods) {
      Set<String> upper = new TreeSet<>();
      for (String m : methods) {
        if (m.isBlank()) {
          throw new IllegalArgumentException("blank method in allowableMethods");
        }
        upper.add(m.toUpperCase(Locale.ROOT));
      }
      this.allowableMethods = upper;
      return this;
    }

    /**
     * Sets a predicate that a response must pass to be stored, and that a stored response must pass
     * to be served (a stored response that fails it is deleted).
     */
    public Builder filter(Predicate<CachedResponse> filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Sets the largest body, in bytes, that is stored; a larger response is delivered whole and not
     * cached. By default {@value HttpCache#DEFAULT_MAX_BODY_SIZE}.
     */
    public Builder maxBodySize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative maxBodySize: " + bytes);
      }
      this.maxBodySize = bytes;
      return this;
    }

    /** Sets the clock; tests pass one they can advance. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the listener that hears of hits, misses, writes and faults. */
    public Builder listener(CacheListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the cache, opening the default SQLite storage when none was set.
     *
     * @throws UncheckedIOException when the default storage cannot be opened
     */
    public HttpCache build() {
      Storage s = storage;
      if (s == null) {
        try {
          s = Storage.sqlite();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open the default SQLite cache", e);
        }
      }
      if ((maxEntries != Long.MAX_VALUE || maxBytes != Long.MAX_VALUE) && !s.evicts()) {
        throw new IllegalStateException(
            s
                + " does not track use, so maxEntries and maxBytes cannot bound it; bound it by its"
                + " own means (Redis: maxmemory with an LRU policy) or choose another storage");
      }
      byte[] secret = keySecret;
      if (secret == null) {
        secret = new byte[32];
        new SecureRandom().nextBytes(secret);
      }
      return new HttpCache(this, s, secret);
    }
  }
}
