package dev.httpcache.reliability;

import dev.httpcache.CacheListener;
import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.TestClock;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A load run: many threads send a seeded mix of requests through {@link CachedHttpClient} over one
 * storage to a {@link LoadOrigin}, and every answer is checked.
 *
 * <p>The mix, per request: 2 % advance the shared clock by 0.2 to 3 s (so that entries expire and
 * are revalidated); 5 % are unsafe (PUT, POST or DELETE, a third each), which bump the resource's
 * version and invalidate what the cache holds for it; the rest are GETs of a resource chosen with a
 * skew towards the first ones (so that some are hot), with an Accept-Language of en, de, fr or
 * none, in a third of them an {@code Authorization} and an {@code X-API-Key} with a secret, and in
 * 3 % a request {@code Cache-Control: no-cache} (a revalidation). Resources with an api_key
 * parameter carry a secret in it.
 *
 * <p>What "correct" means, for each GET answered:
 *
 * <ol>
 *   <li><b>Exact.</b> Status 200 and the body is byte for byte what the origin generates for this
 *       resource, this request's variant (its Accept-Language, for a resource that varies) and some
 *       version: no torn, truncated, mixed or crossed body, and never another variant's.
 *   <li><b>Recent.</b> An answer from the network, or a stored response the origin confirmed with a
 *       304 during the request, has a version that was current at some instant between the
 *       request's start and its end. A stored response served without asking the origin (a hit) is
 *       allowed its freshness lifetime: its version was current at some instant between the
 *       request's start minus the resource's max-age and its end. The origin's {@code Date} makes
 *       the cache count the time a response spent in flight into its age, so this bound is exact.
 *   <li><b>Invalidated.</b> A hit must not serve a version that an unsafe request to the resource
 *       replaced, when that unsafe request had completed before the hit began (RFC 9111 section
 *       4.4), unless a request that received that very version from the origin (a fetch or a 304)
 *       was still in flight when the unsafe request started: that request may legitimately store
 *       its response after the invalidation, since a cache cannot know that the answer is outdated
 *       (the race every HTTP cache has).
 * </ol>
 *
 * <p>Unsafe requests must be answered with 200 or 204. Nothing may throw; a storage fault heard by
 * the listener counts as an error here, since the storages under load must not fail.
 */
public final class LoadRun {
  private static final String[] UNSAFE = {"PUT", "POST", "DELETE"};

  /** How a run is sized. */
  public record Settings(int threads, int requests, int resources, long seed, boolean writeBehind) {
    /** Settings of a run whose cache writes each response before the request returns. */
    public Settings(int threads, int requests, int resources, long seed) {
      this(threads, requests, resources, seed, false);
    }
  }

  /** What a run found. */
  public record Report(
      long requests,
      long gets,
      long hits,
      long revalidated,
      long network,
      long unsafe,
      long originFull,
      long originNotModified,
      long stored,
      long faults,
      long wrong,
      long errors,
      List<String> problems,
      Set<String> secrets,
      long heapBefore,
      long heapAfter,
      long millis) {

    /** One line with every figure, for the test output and docs/reliability.md. */
    public String summary() {
      return String.format(
          "requests=%d gets=%d hits=%d revalidated(304)=%d network=%d unsafe=%d"
              + " origin200=%d origin304=%d stored=%d faults=%d wrong=%d errors=%d"
              + " heapBeforeMiB=%.1f heapAfterMiB=%.1f seconds=%.1f",
          requests,
          gets,
          hits,
          revalidated,
          network,
          unsafe,
          originFull,
          originNotModified,
          stored,
          faults,
          wrong,
          errors,
          heapBefore / 1048576.0,
          heapAfter / 1048576.0,
          millis / 1000.0);
    }
  }

  /** One request as it happened: what was asked, when, and what came back. */
  private record Done(
      boolean get,
      int index,
      String lang,
      long seqStart,
      long seqEnd,
      Instant clockStart,
      Instant clockEnd,
      boolean fromCache,
      boolean revalidated,
      long version) {}

  private final Settings settings;
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicLong sequence = new AtomicLong();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final LongAdder wrong = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder faults = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final Set<String> secretsSent = ConcurrentHashMap.newKeySet();
  private final List<String> secrets = new ArrayList<>();

  private LoadRun(Settings settings) {
    this.settings = settings;
    Random random = new Random(settings.seed ^ 0x5EC2E7L);
    for (int i = 0; i < 64; i++) {
      byte[] bytes = new byte[12];
      random.nextBytes(bytes);
      secrets.add("SECRET" + i + "x" + HexFormat.of().formatHex(bytes));
    }
  }

  /**
   * Runs the load over {@code storage} (which the caller opened and closes; it should be empty) and
   * returns what was found. Never throws for a failed request: failures are counted and described
   * in the report.
   */
  public static Report run(Storage storage, Settings settings) throws Exception {
    return new LoadRun(settings).run(storage);
  }

  private void problem(String text) {
    if (problems.size() < 20) {
      problems.add(text);
    }
  }

  private Report run(Storage storage) throws Exception {
    long heapBefore = usedHeapAfterGc();
    long started = System.nanoTime();
    List<Done> done;
    long originFull;
    long originNotModified;
    try (LoadOrigin origin = new LoadOrigin(settings.resources, settings.seed, clock)) {
      done = load(storage, origin);
      check(origin, done);
      originFull = origin.fullAnswers();
      originNotModified = origin.notModifiedAnswers();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    long heapAfter = usedHeapAfterGc(); // the client and its connections are gone by now
    long gets = done.stream().filter(Done::get).count();
    return new Report(
        done.size(),
        gets,
        done.stream().filter(d -> d.get && d.fromCache && !d.revalidated).count(),
        done.stream().filter(d -> d.get && d.revalidated).count(),
        done.stream().filter(d -> d.get && !d.fromCache).count(),
        done.size() - gets,
        originFull,
        originNotModified,
        stored.sum(),
        faults.sum(),
        wrong.sum(),
        errors.sum(),
        List.copyOf(problems),
        Set.copyOf(secretsSent),
        heapBefore,
        heapAfter,
        millis);
  }

  private List<Done> load(Storage storage, LoadOrigin origin) throws Exception {
    HttpCache cache =
        HttpCache.standard()
            .storage(storage)
            .writeBehind(settings.writeBehind())
            .clock(clock)
            .listener(
                new CacheListener() {
                  @Override
                  public void onStorageFault(String operation, IOException error) {
                    faults.increment();
                    problem("storage fault on " + operation + ": " + error);
                  }

                  @Override
                  public void onStored(String key, int bodyBytes) {
                    stored.increment();
                  }
                })
            .build();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
    CachedHttpClient client = CachedHttpClient.of(http, cache);
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads);
    try {
      List<Future<List<Done>>> work = new ArrayList<>();
      for (int t = 0; t < settings.threads; t++) {
        int thread = t;
        work.add(pool.submit(() -> thread(client, origin, thread)));
      }
      List<Done> done = new ArrayList<>();
      for (Future<List<Done>> f : work) {
        done.addAll(f.get(30, TimeUnit.MINUTES));
      }
      // Written behind: every response is in the storage before it is checked and scanned.
      cache.flush();
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Picks a resource, the first ones far more often than the last. */
  private static int skewed(Random random, int count) {
    double u = random.nextDouble();
    return (int) (count * u * u * u);
  }

  private List<Done> thread(CachedHttpClient client, LoadOrigin origin, int thread) {
    Random random = new Random(settings.seed * 1_000_003L + thread);
    int count = settings.requests / settings.threads;
    List<Done> done = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      int roll = random.nextInt(100);
      if (roll < 2) {
        clock.advance(Duration.ofMillis(200 + random.nextInt(2_800)));
      }
      int index = skewed(random, origin.size());
      String secret = secrets.get(random.nextInt(secrets.size()));
      try {
        if (roll >= 2 && roll < 7) {
          done.add(unsafe(client, origin, index, UNSAFE[random.nextInt(3)], secret));
        } else {
          int l = random.nextInt(LoadOrigin.LANGUAGES.size() + 1);
          String acceptLanguage =
              l < LoadOrigin.LANGUAGES.size() ? LoadOrigin.LANGUAGES.get(l) : null;
          boolean authorized = random.nextInt(3) == 0;
          boolean noCache = random.nextInt(100) < 3;
          Done d =
              get(
                  client,
                  origin,
                  index,
                  acceptLanguage,
                  authorized ? secrets.get(random.nextInt(secrets.size())) : null,
                  noCache,
                  random.nextInt(4) == 0,
                  secret);
          if (d != null) {
            done.add(d);
          }
        }
      } catch (Exception e) {
        errors.increment();
        problem("thread " + thread + " request " + n + " on /r/" + index + ": " + e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return done;
  }

  private @Nullable Done get(
      CachedHttpClient client,
      LoadOrigin origin,
      int index,
      @Nullable String acceptLanguage,
      @Nullable String authorization,
      boolean noCache,
      boolean async,
      String apiKey)
      throws IOException, InterruptedException {
    LoadOrigin.Resource resource = origin.resource(index);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(origin.uri(index, apiKey)).timeout(Duration.ofSeconds(60));
    if (resource.hasApiKey()) {
      secretsSent.add(apiKey);
    }
    if (acceptLanguage != null) {
      b.header("Accept-Language", acceptLanguage);
    }
    if (authorization != null) {
      b.header("Authorization", "Bearer " + authorization);
      b.header("X-API-Key", authorization);
      secretsSent.add(authorization);
    }
    if (noCache) {
      b.header("Cache-Control", "no-cache");
    }
    long seqStart = sequence.incrementAndGet();
    Instant clockStart = clock.instant();
    HttpResponse<byte[]> response;
    if (async) {
      try {
        response =
            client.sendAsync(b.build(), BodyHandlers.ofByteArray()).get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("sendAsync failed: " + e, e);
      }
    } else {
      response = client.send(b.build(), BodyHandlers.ofByteArray());
    }
    Instant clockEnd = clock.instant();
    long seqEnd = sequence.incrementAndGet();
    CacheMetadata meta = CachedHttpClient.metadata(response);
    String lang = resource.varies() ? LoadOrigin.variant(acceptLanguage) : "-";
    String what =
        "GET /r/"
            + index
            + " ["
            + lang
            + (meta.fromCache() ? meta.revalidated() ? ", revalidated" : ", hit" : ", network")
            + "]";
    if (response.statusCode() != 200) {
      wrong.increment();
      problem(what + ": status " + response.statusCode());
      return null;
    }
    byte[] body = response.body();
    LoadOrigin.Label label = LoadOrigin.label(body);
    if (label == null
        || label.index() != index
        || !label.lang().equals(lang)
        || !Arrays.equals(body, origin.body(index, lang, label.version()))) {
      wrong.increment();
      problem(
          what
              + ": a body that is not the origin's for this resource and variant: "
              + (label == null ? "unlabelled, " + body.length + " bytes" : label.toString()));
      return null;
    }
    return new Done(
        true,
        index,
        lang,
        seqStart,
        seqEnd,
        clockStart,
        clockEnd,
        meta.fromCache(),
        meta.revalidated(),
        label.version());
  }

  private Done unsafe(
      CachedHttpClient client, LoadOrigin origin, int index, String method, String apiKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(origin.uri(index, apiKey)).timeout(Duration.ofSeconds(60));
    if (origin.resource(index).hasApiKey()) {
      secretsSent.add(apiKey);
    }
    if (method.equals("DELETE")) {
      b.DELETE();
    } else {
      b.method(method, HttpRequest.BodyPublishers.ofString("change " + index));
    }
    long seqStart = sequence.incrementAndGet();
    Instant clockStart = clock.instant();
    HttpResponse<String> response = client.send(b.build(), BodyHandlers.ofString());
    Instant clockEnd = clock.instant();
    long seqEnd = sequence.incrementAndGet();
    int status = response.statusCode();
    if (status != 200 && status != 204) {
      wrong.increment();
      problem(method + " /r/" + index + ": status " + status);
    }
    long version = response.headers().firstValueAsLong("X-Version").orElse(-1);
    return new Done(
        false, index, "", seqStart, seqEnd, clockStart, clockEnd, false, false, version);
  }

  /** The checks of recency and invalidation, over every request once all are done. */
  private void check(LoadOrigin origin, List<Done> done) {
    Map<Integer, List<Done>> unsafeByResource = new HashMap<>();
    // For each (resource, variant, version): the latest end of a request that got it from the
    // origin (a fetch or a 304), i.e. of a request that may have stored it.
    Map<String, Long> lastWriterEnd = new HashMap<>();
    for (Done d : done) {
      if (!d.get) {
        unsafeByResource.computeIfAbsent(d.index, i -> new ArrayList<>()).add(d);
      } else if (!d.fromCache || d.revalidated) {
        lastWriterEnd.merge(d.index + "/" + d.lang + "/" + d.version, d.seqEnd, Math::max);
      }
    }
    for (Done d : done) {
      if (!d.get) {
        continue;
      }
      LoadOrigin.Resource resource = origin.resource(d.index);
      boolean hit = d.fromCache && !d.revalidated;
      Instant from = hit ? d.clockStart.minusSeconds(resource.maxAge()) : d.clockStart;
      String what =
          "GET /r/"
              + d.index
              + " ["
              + d.lang
              + "] v"
              + d.version
              + (hit ? " (hit)" : d.revalidated ? " (revalidated)" : " (network)")
              + " at "
              + d.clockStart;
      if (!resource.wasCurrentWithin(d.version, from, d.clockEnd)) {
        wrong.increment();
        problem(what + ": that version was not current from " + from + " to " + d.clockEnd);
        continue;
      }
      if (!hit) {
        continue;
      }
      long writerEnd = lastWriterEnd.getOrDefault(d.index + "/" + d.lang + "/" + d.version, -1L);
      for (Done u : unsafeByResource.getOrDefault(d.index, List.of())) {
        if (u.seqEnd < d.seqStart && u.version > d.version && writerEnd < u.seqStart) {
          wrong.increment();
          problem(
              what
                  + ": served after the "
                  + "unsafe request that made v"
                  + u.version
                  + " had invalidated it, and no request that got v"
                  + d.version
                  + " was in flight then");
          break;
        }
      }
    }
  }

  /** The used heap after a few collections, in bytes. */
  public static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
