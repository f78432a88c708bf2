package dev.httpcache.reliability;

import dev.httpcache.TestClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * A real local origin (mockwebserver3) for load runs: {@code n} resources {@code /r/0 .. /r/(n-1)},
 * each with a version that every successful unsafe request (PUT, POST, DELETE) to it bumps. A GET
 * is answered with a body that is a pure function of the resource, the variant and the version
 * ({@link #body}), so that any body a client receives can be checked byte for byte.
 *
 * <p>Each resource has fixed traits drawn from the seed: {@code Vary: Accept-Language} or not, an
 * {@code ETag}, a {@code Last-Modified} (one second later per version, so that {@code
 * If-Modified-Since} is exact), both or neither, a {@code Cache-Control: max-age} of 1 to 60
 * seconds (a few are {@code no-store}), and a body size. Conditional requests are answered with 304
 * when the validator they carry is the current version's ({@code If-None-Match} first, as RFC 9110
 * section 13.2.2 has it).
 *
 * <p>Time is the shared {@link TestClock}: every answer advances it by a millisecond (time passes
 * at the origin, so no two answers share an instant) and carries it as {@code Date}. The instants
 * at which each version became current are kept, so that a checker can tell whether a version was
 * current at some moment of a request.
 */
public final class LoadOrigin implements AutoCloseable {
  /**
   * The variants of resources that vary: the values of Accept-Language sent, and "any" for none.
   */
  public static final List<String> LANGUAGES = List.of("en", "de", "fr");

  private static final Instant LAST_MODIFIED_BASE = Instant.parse("2020-01-01T00:00:00Z");
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private final TestClock clock;
  private final long seed;
  private final Resource[] resources;
  private final AtomicLong full = new AtomicLong();
  private final AtomicLong notModified = new AtomicLong();
  private final AtomicLong unsafe = new AtomicLong();

  /** The traits and the version history of one resource. */
  public static final class Resource {
    private final int index;
    private final boolean vary;
    private final boolean etag;
    private final boolean lastModified;
    private final boolean noStore;
    private final boolean apiKey;
    private final int maxAge;
    private final int size;
    // Guarded by this.
    private long version;
    private final List<Instant> bumps = new ArrayList<>();

    Resource(int index, Random random) {
      this.index = index;
      this.vary = random.nextInt(3) == 0;
      int validators = random.nextInt(4);
      this.etag = validators == 0 || validators == 1;
      this.lastModified = validators == 0 || validators == 2;
      this.noStore = random.nextInt(25) == 0;
      this.apiKey = random.nextInt(5) == 0;
      this.maxAge = List.of(1, 2, 5, 10, 30, 60).get(random.nextInt(6));
      // Mostly small bodies, some of tens of kilobytes.
      this.size = random.nextInt(10) == 0 ? 8_192 + random.nextInt(40_000) : random.nextInt(4_000);
    }

    /** The index of the resource, its path being {@code /r/<index>}. */
    public int index() {
      return index;
    }

    /** Whether its answers vary on Accept-Language. */
    public boolean varies() {
      return vary;
    }

    /** Whether its requests carry an {@code api_key} query parameter (a secret). */
    public boolean hasApiKey() {
      return apiKey;
    }

    /** The max-age of its answers, in seconds. */
    public int maxAge() {
      return maxAge;
    }

    /** Whether its answers say {@code no-store}. */
    public boolean noStore() {
      return noStore;
    }

    /** Returns the current version. */
    public synchronized long version() {
      return version;
    }

    /**
     * Whether {@code v} was the current version at some instant of {@code [from, to]}: version
     * {@code k} is current from the instant of the k-th bump (version 0 from the start) to the
     * instant of the next one, both included.
     */
    public synchronized boolean wasCurrentWithin(long v, Instant from, Instant to) {
      if (v < 0 || v > version) {
        return false;
      }
      Instant start = v == 0 ? Instant.MIN : bumps.get((int) v - 1);
      Instant end = v == version ? Instant.MAX : bumps.get((int) v);
      return !start.isAfter(to) && !end.isBefore(from);
    }
  }

  /** Starts an origin of {@code count} resources whose traits come from {@code seed}. */
  public LoadOrigin(int count, long seed, TestClock clock) throws IOException {
    this.clock = clock;
    this.seed = seed;
    this.resources = new Resource[count];
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      resources[i] = new Resource(i, random);
    }
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            try {
              return answer(request);
            } finally {
              // mockwebserver3 queues every request it saw for takeRequest(); drop them, so that
              // a long run does not keep tens of thousands of requests on the heap.
              drain();
            }
          }
        });
    server.start();
  }

  private void drain() {
    try {
      while (server.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
        // dropped
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns the resource at {@code index}. */
  public Resource resource(int index) {
    return resources[index];
  }

  /** Returns how many resources there are. */
  public int size() {
    return resources.length;
  }

  /** Returns the URL of a resource, with {@code apiKey} as its api_key parameter if it has one. */
  public URI uri(int index, String apiKey) {
    String base = "http://127.0.0.1:" + server.getPort() + "/r/" + index;
    return URI.create(resources[index].apiKey ? base + "?api_key=" + apiKey : base);
  }

  /** How many 200 answers with a body the origin sent to GETs. */
  public long fullAnswers() {
    return full.get();
  }

  /** How many 304 answers the origin sent. */
  public long notModifiedAnswers() {
    return notModified.get();
  }

  /** How many unsafe requests the origin answered (each bumped a version). */
  public long unsafeAnswers() {
    return unsafe.get();
  }

  /** The variant name of a request's Accept-Language for a resource that varies. */
  public static String variant(@Nullable String acceptLanguage) {
    return acceptLanguage == null ? "any" : acceptLanguage;
  }

  /**
   * Returns the body the origin sends for resource {@code index}, variant {@code lang} ("-" for a
   * resource that does not vary) and version {@code version}: a first line naming all three, then
   * bytes drawn from them (any byte value), of a length that depends on the version too.
   */
  public byte[] body(int index, String lang, long version) {
    byte[] head =
        ("r=" + index + " lang=" + lang + " v=" + version + "\n").getBytes(StandardCharsets.UTF_8);
    int length = resources[index].size + (int) (version % 7) * 13;
    byte[] body = new byte[head.length + length];
    System.arraycopy(head, 0, body, 0, head.length);
    Random random = new Random(seed * 31 + index * 1_000_003L + lang.hashCode() * 7L + version);
    byte[] tail = new byte[length];
    random.nextBytes(tail);
    System.arraycopy(tail, 0, body, head.length, length);
    return body;
  }

  /** What a body's first line says, or null when it has no such line. */
  public record Label(int index, String lang, long version) {}

  /** Reads the first line of a body that {@link #body} made; null when it is not one. */
  public static @Nullable Label label(byte[] body) {
    int newline = -1;
    for (int i = 0; i < Math.min(body.length, 100); i++) {
      if (body[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      return null;
    }
    String[] parts = new String(body, 0, newline, StandardCharsets.UTF_8).split(" ", -1);
    if (parts.length != 3
        || !parts[0].startsWith("r=")
        || !parts[1].startsWith("lang=")
        || !parts[2].startsWith("v=")) {
      return null;
    }
    try {
      return new Label(
          Integer.parseInt(parts[0].substring(2)),
          parts[1].substring(5),
          Long.parseLong(parts[2].substring(2)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    int index;
    try {
      index = Integer.parseInt(path.substring("/r/".length()));
    } catch (RuntimeException e) {
      return new MockResponse.Builder().code(404).build();
    }
    if (!path.startsWith("/r/") || index < 0 || index >= resources.length) {
      return new MockResponse.Builder().code(404).build();
    }
    Resource r = resources[index];
    synchronized (r) {
      clock.advance(Duration.ofMillis(1));
      Instant now = clock.instant();
      if (!request.getMethod().equals("GET")) {
        r.version++;
        r.bumps.add(now);
        unsafe.incrementAndGet();
        MockResponse.Builder b =
            new MockResponse.Builder()
                .addHeader("Date", HTTP_DATE.format(now))
                .addHeader("X-Version", r.version);
        return request.getMethod().equals("DELETE")
            ? b.code(204).build()
            : b.code(200).body("ok").build();
      }
      String lang = r.vary ? variant(request.getHeaders().get("Accept-Language")) : "-";
      long v = r.version;
      String etag = "\"" + index + "-" + lang + "-" + v + "\"";
      Instant lastModified = LAST_MODIFIED_BASE.plusSeconds(v);
      MockResponse.Builder b =
          new MockResponse.Builder()
              .addHeader("Date", HTTP_DATE.format(now))
              .addHeader("Cache-Control", r.noStore ? "no-store" : "max-age=" + r.maxAge);
      if (r.vary) {
        b.addHeader("Vary", "Accept-Language");
      }
      if (r.etag) {
        b.addHeader("ETag", etag);
      }
      if (r.lastModified) {
        b.addHeader("Last-Modified", HTTP_DATE.format(lastModified));
      }
      String ifNoneMatch = request.getHeaders().get("If-None-Match");
      String ifModifiedSince = request.getHeaders().get("If-Modified-Since");
      boolean same;
      if (ifNoneMatch != null) {
        same = r.etag && ifNoneMatch.trim().equals(etag);
      } else {
        Instant since = parse(ifModifiedSince);
        same = r.lastModified && since != null && !lastModified.isAfter(since);
      }
      if (same) {
        notModified.incrementAndGet();
        return b.code(304).build();
      }
      full.incrementAndGet();
      return b.code(200).body(new Buffer().write(body(index, lang, v))).build();
    }
  }

  private static @Nullable Instant parse(@Nullable String date) {
    if (date == null) {
      return null;
    }
    try {
      return Instant.from(HTTP_DATE.parse(date));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
