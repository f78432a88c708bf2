package dev.httpcache.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compares two builds of httpcache-core in one JVM, request by request: a plain JDK request, the
 * same scenario through a {@code CachedHttpClient} of build A, and through one of build B, in turn,
 * over and over, each against the same local {@link Origin}. Each build is loaded by its own class
 * loader from its jar (and the SQLite driver's), so the two never share a class. Not a JMH
 * benchmark: the point is that a change of the host's speed, which on a shared VM moves a plain
 * request by half from one JMH run to the next, falls on all three alike, so that the ratios can be
 * compared.
 *
 * <p>Scenarios: {@code revalidation} (a GET of {@link Origin#STALE_PATH}, answered 304 every time,
 * the stored body served; the cache is {@code HttpCache.standard()}) and {@code miss} (a GET of a
 * URL never asked before, stored). The plain request is the baseline of both targets, a GET
 * answered 200 with the body: of the fresh resource for {@code revalidation}; for {@code miss}, of
 * a URL never asked before, built in the same way as the cached clients' (as {@link
 * MissBenchmark}'s plain clients do), so that building the request and its new URL weighs on both
 * sides alike. Storage: {@code memory} or {@code sqlite} (a new file per build in a temporary
 * folder), with {@code -wb} for {@code writeBehind(true)}.
 *
 * <pre>
 * # the two builds: e.g. core of the commit before a change and of the change
 * git worktree add /tmp/before HEAD~1 &amp;&amp; (cd /tmp/before &amp;&amp; mvn -B -q -pl httpcache-core package -DskipTests)
 * mvn -B -q -pl httpcache-benchmarks -am package -DskipTests
 * java -cp httpcache-benchmarks/target/benchmarks.jar dev.httpcache.benchmarks.Interleaved \
 *     revalidation memory /tmp/before/httpcache-core/target/httpcache-core-0.1.0-SNAPSHOT.jar \
 *     httpcache-core/target/httpcache-core-0.1.0-SNAPSHOT.jar ~/.m2/repository/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar
 * </pre>
 *
 * <p>The three kinds take turns, in an order that changes with each request (see {@link #order}).
 * Prints, per round of 10 000 requests of each kind, the three medians; then the mean of the
 * medians of the rounds after the first (a warm-up) and the ratio of each build to the plain
 * request. System properties {@code rounds} (default 10) and {@code n} change the counts. A jar may
 * also be a folder of classes. Ends by checking that the builds did what the scenario measures (see
 * {@link #compare}).
 */
public final class Interleaved {
  private Interleaved() {}

  /** One measured operation: a request and its whole body read. */
  private interface Operation {
    byte[] run() throws IOException, InterruptedException;
  }

  /**
   * The result of a comparison: the mean of the round medians (after the first round) of the plain
   * request and of each build, in microseconds.
   */
  record Result(double plainMicros, double aMicros, double bMicros) {
    double ratioA() {
      return aMicros / plainMicros;
    }

    double ratioB() {
      return bMicros / plainMicros;
    }
  }

  /**
   * Runs the comparison.
   *
   * @param args scenario, storage, jar of build A, jar of build B, jar of the SQLite driver
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: Interleaved revalidation|miss memory|sqlite[-wb] core-A.jar core-B.jar"
              + " sqlite-jdbc.jar");
      System.exit(2);
    }
    compare(
        args[0],
        args[1],
        Path.of(args[2]),
        Path.of(args[3]),
        Path.of(args[4]),
        Integer.getInteger("rounds", 10),
        Integer.getInteger("n", 10_000),
        System.out);
    System.exit(0); // the cached clients' storages and threads belong to their class loaders
  }

  /**
   * Runs {@code rounds} rounds of {@code n} requests of each kind and prints each round's medians
   * and the result to {@code out}. Then checks that the builds did what the scenario measures: for
   * {@code revalidation}, that the origin answered 304 to every cached request but each build's
   * first; for {@code miss}, that the origin heard every request and that each build answers a URL
   * it has fetched from its cache.
   *
   * @throws IllegalStateException when a build did not do what the scenario measures
   */
  static Result compare(
      String scenario,
      String storage,
      Path coreA,
      Path coreB,
      Path sqliteJar,
      int rounds,
      int n,
      PrintStream out)
      throws Exception {
    if (!scenario.equals("revalidation") && !scenario.equals("miss")) {
      throw new IllegalArgumentException("scenario is revalidation or miss, not " + scenario);
    }
    try (Origin origin = Origin.start(Origin.BODY_SIZE)) {
      HttpClient plain = Clients.jdkClient();
      HttpRequest fresh = HttpRequest.newBuilder(origin.uri()).GET().build();
      HttpClient a = cachedClient(coreA, sqliteJar, storage);
      HttpClient b = cachedClient(coreB, sqliteJar, storage);
      HttpRequest stale = HttpRequest.newBuilder(origin.uri(Origin.STALE_PATH)).GET().build();
      int[] next = {0};
      Operation[] operations = {
        () ->
            plain
                .send(
                    scenario.equals("miss") ? missRequest(origin, "plain", next[0]) : fresh,
                    BodyHandlers.ofByteArray())
                .body(),
        () ->
            a.send(request(origin, scenario, stale, "a", next[0]), BodyHandlers.ofByteArray())
                .body(),
        () ->
            b.send(request(origin, scenario, stale, "b", next[0]), BodyHandlers.ofByteArray())
                .body()
      };
      String[] names = {"plain", "A", "B"};
      double[] sums = new double[3];
      for (int round = 0; round < rounds; round++) {
        long[][] times = new long[3][n];
        for (int i = 0; i < n; i++) {
          next[0]++;
          for (int k : order(i)) {
            long start = System.nanoTime();
            byte[] body = operations[k].run();
            times[k][i] = System.nanoTime() - start;
            if (body.length != Origin.BODY_SIZE) {
              throw new IllegalStateException(names[k] + " got " + body.length + " bytes");
            }
          }
        }
        List<String> line = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
          Arrays.sort(times[k]);
          double median = times[k][n / 2] / 1e3;
          if (round > 0 || rounds == 1) {
            sums[k] += median;
          }
          line.add(String.format(Locale.ROOT, "%s %.1f us", names[k], median));
        }
        out.println("round " + (round + 1) + ": " + String.join(", ", line));
      }
      int counted = Math.max(1, rounds - 1);
      Result result = new Result(sums[0] / counted, sums[1] / counted, sums[2] / counted);
      out.printf(
          Locale.ROOT,
          "%s, %s: %s: plain %.1f us, A %.1f us (%.3fx), B %.1f us (%.3fx)%n",
          scenario,
          storage,
          rounds == 1 ? "the medians of round 1" : "mean of the medians of rounds 2-" + rounds,
          result.plainMicros(),
          result.aMicros(),
          result.ratioA(),
          result.bMicros(),
          result.ratioB());
      check(scenario, origin, a, b, rounds * n);
      return result;
    }
  }

  private static final int[][] ORDERS = {{0, 1, 2}, {0, 2, 1}};

  /**
   * Returns the order of the three kinds (0 plain, 1 A, 2 B) for request {@code i}: plain, A, B,
   * then plain, B, A. In the sequence this makes, each kind follows each other kind exactly once
   * every two requests, so neither build is more often the one after the plain request or after the
   * other build. (In a fixed order, the request after the plain one measured 4 % slower than the
   * one after it, through the same build. The rotation used before this one still had B follow A
   * three times as often as A followed B; with the same jar as both builds it put B 0-2 % ahead,
   * and this order 0.3-1.0 %, so what is left of that gap is not the order's: see
   * docs/benchmarks.md.)
   */
  static int[] order(int i) {
    return ORDERS[i & 1];
  }

  /** Checks that each build did what the scenario measures, after {@code each} requests each. */
  static void check(String scenario, Origin origin, HttpClient a, HttpClient b, int each)
      throws IOException, InterruptedException {
    if (scenario.equals("revalidation")) {
      // Each build's first request stores the response; every later one is answered 304.
      int expected = 2 * (each - 1);
      if (origin.notModified() != expected) {
        throw new IllegalStateException(
            "the origin answered 304 to "
                + origin.notModified()
                + " requests, not to the builds' "
                + expected
                + " revalidations");
      }
      return;
    }
    int heard = origin.requests();
    if (heard != 3 * each) {
      throw new IllegalStateException(
          "the origin heard " + heard + " requests, not the " + 3 * each + " misses sent");
    }
    HttpClient[] builds = {a, b};
    String[] names = {"a", "b"};
    for (int k = 0; k < 2; k++) {
      byte[] body =
          builds[k].send(missRequest(origin, names[k], 1), BodyHandlers.ofByteArray()).body();
      if (origin.requests() != heard || body.length != Origin.BODY_SIZE) {
        throw new IllegalStateException(
            "build " + names[k].toUpperCase(Locale.ROOT) + " did not store its first miss");
      }
    }
  }

  private static HttpRequest request(
      Origin origin, String scenario, HttpRequest stale, String build, int i) {
    if (scenario.equals("revalidation")) {
      return stale;
    }
    return missRequest(origin, build, i);
  }

  /** A GET of a URL that no request has asked for before: {@code /miss/<build>/<i>}. */
  private static HttpRequest missRequest(Origin origin, String build, int i) {
    return HttpRequest.newBuilder(origin.uri("/miss/" + build + "/" + i)).GET().build();
  }

  /**
   * Returns a {@code CachedHttpClient} of the build in {@code coreJar}, loaded apart from this
   * class's own copy of core, over a JDK client pinned to HTTP/1.1.
   */
  private static HttpClient cachedClient(Path coreJar, Path sqliteJar, String storage)
      throws IOException, ReflectiveOperationException {
    if (!Files.exists(coreJar) || !Files.exists(sqliteJar)) {
      throw new IllegalArgumentException("no such jar: " + coreJar + " or " + sqliteJar);
    }
    // The platform loader as parent: the JDK's classes are shared, httpcache's are not.
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {coreJar.toUri().toURL(), sqliteJar.toUri().toURL()},
            ClassLoader.getPlatformClassLoader());
    Class<?> cacheClass = loader.loadClass("dev.httpcache.HttpCache");
    Class<?> storageClass = loader.loadClass("dev.httpcache.storage.Storage");
    boolean writeBehind = storage.endsWith("-wb");
    String kind = writeBehind ? storage.substring(0, storage.length() - 3) : storage;
    Object opened;
    try {
      if (kind.equals("memory")) {
        opened = storageClass.getMethod("inMemory").invoke(null);
      } else if (kind.equals("sqlite")) {
        Path dir = Files.createTempDirectory("httpcache-interleaved-");
        Path file = dir.resolve("cache.sqlite");
        // Deleted when the JVM ends, the files before their folder (the hooks run in reverse).
        dir.toFile().deleteOnExit();
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
          dir.resolve("cache.sqlite" + suffix).toFile().deleteOnExit();
        }
        opened = storageClass.getMethod("sqlite", Path.class).invoke(null, file);
      } else {
        throw new IllegalArgumentException(
            "storage is memory or sqlite, with -wb or not: " + storage);
      }
      Object builder = cacheClass.getMethod("standard").invoke(null);
      builder = builder.getClass().getMethod("storage", storageClass).invoke(builder, opened);
      builder =
          builder.getClass().getMethod("writeBehind", boolean.class).invoke(builder, writeBehind);
      Object cache = builder.getClass().getMethod("build").invoke(builder);
      Class<?> clientClass = loader.loadClass("dev.httpcache.jdk.CachedHttpClient");
      return (HttpClient)
          clientClass
              .getMethod("of", HttpClient.class, cacheClass)
              .invoke(null, Clients.jdkClient(), cache);
    } catch (InvocationTargetException e) {
      throw new IOException("opening the cache of " + coreJar + " failed", e.getCause());
    }
  }
}
