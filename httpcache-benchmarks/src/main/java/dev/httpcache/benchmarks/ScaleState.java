package dev.httpcache.benchmarks;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.codec.Codec;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A cache of {@code entries} distinct 1 KB responses, and hits on random ones among them through
 * {@link CachedHttpClient}: how a hit's cost grows with the size of the cache.
 *
 * <p><b>The entries.</b> Each is the response to a GET of {@code http://scale.invalid/e/<i>}, for
 * {@code i} from 0 to {@code entries - 1}. Entry 0 is fetched for real, through the cache, from the
 * local {@link Origin} (the JDK client reaches it as its HTTP proxy, so the host name is never
 * resolved and every request that leaves the cache is counted by the origin); the others are that
 * entry decoded, given their own URL and request, encoded again with the cache's codec and framed
 * as the engine frames entries ({@code h c f}, version 1, the codec's name; see docs/storages.md),
 * then written with {@link Storage#put} under the cache key the engine computes for their request.
 * Every entry is therefore a distinct, valid entry that the engine reads as its own.
 *
 * <p><b>Reuse.</b> Filling an SQLite file costs one transaction per entry (about two minutes for a
 * million on the 2-core machine of docs/benchmarks.md), so the file is filled once and kept in
 * {@code <java.io.tmpdir>/httpcache-bench-scale/sqlite-<entries>/} (the system property {@value
 * #DIR_PROPERTY} names another folder than {@code httpcache-bench-scale}), with a file {@code
 * filled} saying how many entries it holds and how long the fill took; later trials and forks open
 * it as it is (it is checked to hold exactly {@code entries} responses). The host name in the URLs
 * is fixed, not the origin's port, so that the keys stay the same from one fork to the next. Delete
 * the folder to fill again. The memory storage is filled anew in each fork (seconds).
 *
 * <p><b>Hits.</b> Set-up builds {@value #POOL} requests for keys drawn at random (fixed seed) among
 * the entries; each operation takes the next one, round robin. A pool this large leaves the
 * engine's small memos of keys and decoded entries to do what they do in a large cache: at a
 * thousand entries they hold every entry; at a million, few.
 *
 * <p><b>Proof.</b> Set-up checks 100 of those requests: each reports {@code fromCache()} and none
 * reaches the origin. Tear-down checks that no measured request reached the origin and that the
 * storage still holds exactly {@code entries} responses.
 */
@State(Scope.Benchmark)
public class ScaleState {
  /** How many requests set-up builds, to be sent round robin. */
  static final int POOL = 1 << 16;

  /** The host of the entries' URLs; never resolved (the client goes through a proxy). */
  static final String HOST = "scale.invalid";

  /** The system property naming the folder of the filled SQLite files. */
  static final String DIR_PROPERTY = "httpcache.benchmark.scaleDir";

  /** The number of responses in the cache. */
  @Param({"1000", "10000", "100000", "1000000"})
  public int entries = 1000;

  /**
   * The storage: {@code sqlite}, {@code sqlite-mmap} (the same files, read through a memory map of
   * up to {@value #MAPPED_BYTES} bytes: {@link Storage#sqlite(Path, long)}) or {@code memory}.
   */
  @Param({"sqlite", "sqlite-mmap", "memory"})
  public String storage = "sqlite";

  /** How much of the file {@code sqlite-mmap} maps: more than the million-entry file (2.1 GB). */
  static final long MAPPED_BYTES = 4L << 30;

  private final Resources resources = new Resources();
  private Origin origin;
  private HttpCache cache;
  private CachedHttpClient client;
  private HttpRequest[] pool;
  private int cursor;
  private int primed;
  private double fillSeconds = -1;

  /**
   * Opens (filling it if needed) the cache of {@code entries} responses, builds the pool of
   * requests and checks that they are hits.
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (entries < 1) {
      throw new IllegalArgumentException("entries must be positive: " + entries);
    }
    try {
      origin = resources.add(Origin.start(Origin.BODY_SIZE));
      Storage opened;
      Path marker = null;
      if (storage.equals("sqlite") || storage.equals("sqlite-mmap")) {
        Path dir =
            Path.of(System.getProperty(DIR_PROPERTY, defaultDirectory()))
                .resolve("sqlite-" + entries);
        marker = dir.resolve("filled");
        if (!Files.exists(marker)) {
          Resources.deleteTree(dir);
        }
        Path file = dir.resolve("http_cache.sqlite");
        opened =
            storage.equals("sqlite") ? Storage.sqlite(file) : Storage.sqlite(file, MAPPED_BYTES);
      } else if (storage.equals("memory")) {
        opened = Storage.inMemory();
      } else {
        throw new IllegalArgumentException(
            "storage is sqlite, sqlite-mmap or memory, not " + storage);
      }
      cache =
          resources.add(
              HttpCache.builder().storage(opened).expireAfter(Duration.ofDays(3650)).build());
      HttpClient delegate =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .proxy(ProxySelector.of(origin.address()))
              .build();
      client = CachedHttpClient.of(delegate, cache);
      if (marker == null || !Files.exists(marker)) {
        long start = System.nanoTime();
        fill();
        fillSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "scale: filled %s with %d entries in %.1f s%n", storage, entries, fillSeconds);
        if (marker != null) {
          Files.writeString(
              marker,
              "entries=" + entries + "\nfillSeconds=" + fillSeconds + "\n",
              StandardCharsets.UTF_8);
        }
      } else {
        System.out.printf(
            "scale: reusing %s (%s)%n",
            marker.getParent(),
            Files.readString(marker, StandardCharsets.UTF_8).replace('\n', ' ').trim());
      }
      long count = opened.count(Namespace.RESPONSES);
      if (count != entries) {
        throw new IllegalStateException(
            "scale: the " + storage + " storage holds " + count + " entries, not " + entries);
      }

      Random random = new Random(42);
      pool = new HttpRequest[POOL];
      for (int i = 0; i < POOL; i++) {
        pool[i] = HttpRequest.newBuilder(uri(random.nextInt(entries))).GET().build();
      }
      int before = origin.requests();
      for (int i = 0; i < 100; i++) {
        HttpResponse<byte[]> response = client.send(pool[i], BodyHandlers.ofByteArray());
        CacheMetadata metadata = CachedHttpClient.metadata(response);
        Hits.requireHit(
            "scale (" + storage + ")",
            origin,
            before,
            metadata.fromCache(),
            metadata.toString(),
            response.body());
      }
      primed = origin.requests();
    } catch (Exception | Error e) {
      try {
        resources.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Stores entry 0 through the client, then its copies 1 to {@code entries - 1}. */
  private void fill() throws IOException, InterruptedException {
    URI first = uri(0);
    HttpResponse<byte[]> response =
        client.send(HttpRequest.newBuilder(first).GET().build(), BodyHandlers.ofByteArray());
    Hits.requirePrimed("scale (" + storage + ")", origin, response.statusCode(), response.body());
    String firstKey = cache.key(CachedRequest.get(first));
    Optional<byte[]> raw = cache.responses().get(firstKey);
    if (raw.isEmpty()) {
      throw new IllegalStateException("scale: the first response was not stored");
    }
    Codec codec = cache.codec();
    byte[] frame = framePrefix(codec.name(), raw.get());
    CachedResponse template =
        codec.decode(firstKey, Arrays.copyOfRange(raw.get(), frame.length, raw.get().length));
    Storage target = cache.storage();
    for (int i = 1; i < entries; i++) {
      URI uri = uri(i);
      CachedRequest request = CachedRequest.get(uri);
      String key = cache.key(request);
      CachedResponse entry = template.toBuilder().uri(uri).request(request).build();
      byte[] payload = codec.encode(key, entry);
      byte[] value = Arrays.copyOf(frame, frame.length + payload.length);
      System.arraycopy(payload, 0, value, frame.length, payload.length);
      target.put(Namespace.RESPONSES, key, value, entry.expiresOrNull());
    }
  }

  /**
   * Returns the frame in front of an entry the engine stored with the codec {@code codecName}: the
   * bytes {@code h c f}, version 1, the name's length and the name.
   */
  static byte[] framePrefix(String codecName, byte[] stored) {
    byte[] name = codecName.getBytes(StandardCharsets.US_ASCII);
    byte[] expected = new byte[5 + name.length];
    expected[0] = 'h';
    expected[1] = 'c';
    expected[2] = 'f';
    expected[3] = 1;
    expected[4] = (byte) name.length;
    System.arraycopy(name, 0, expected, 5, name.length);
    if (stored.length < expected.length
        || !Arrays.equals(Arrays.copyOf(stored, expected.length), expected)) {
      throw new IllegalStateException(
          "scale: the stored entry is not framed as docs/storages.md says (h c f, 1, "
              + codecName
              + "); the engine's frame changed");
    }
    return expected;
  }

  private static String defaultDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "httpcache-bench-scale").toString();
  }

  /** The URL of entry {@code i}. */
  static URI uri(int i) {
    return URI.create("http://" + HOST + "/e/" + i);
  }

  /** One hit on the next request of the pool: sends it and reads the whole body. */
  public byte[] hit() throws IOException, InterruptedException {
    HttpRequest request = pool[cursor];
    cursor = (cursor + 1) & (POOL - 1);
    return client.send(request, BodyHandlers.ofByteArray()).body();
  }

  /** Returns the origin, for tests. */
  Origin origin() {
    return origin;
  }

  /**
   * Returns how long filling took in this trial, in seconds, or -1 when a filled file was reused.
   */
  double fillSeconds() {
    return fillSeconds;
  }

  /**
   * Checks that no measured request reached the origin and that every entry is still there, then
   * closes the cache (the SQLite file stays for the next fork) and the origin.
   */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      Hits.requireNoNetwork("scale (" + storage + ")", origin, primed);
      long count = cache.storage().count(Namespace.RESPONSES);
      if (count != entries) {
        throw new IllegalStateException(
            "scale: the " + storage + " storage holds " + count + " entries after the trial");
      }
    } finally {
      resources.close();
    }
  }
}
