package dev.httpcache.reliability;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.httpcache.CacheEntry;
import dev.httpcache.CacheListener;
import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.TestClock;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile servers: a raw socket origin sends seeded, byte-exact answers with malformed or
 * contradictory {@code Cache-Control}, {@code Expires}, {@code Date}, {@code Age}, {@code Vary},
 * {@code ETag} and {@code Last-Modified}, thousands of headers or very long ones, bodies past the
 * cache's size limit, bodies cut short (a {@code Content-Length} longer than what is sent, or
 * chunks without their end), bodies that are not the UTF-8 they claim, broken framing, and 304s
 * with hostile headers to revalidations.
 *
 * <p>The oracle is the same answer sent to a plain {@code HttpClient}: the caching client must end
 * the same way (the same status and body, or an exception where the plain client throws one) on the
 * first request and on a second one (from the cache or not); no exception may escape but an {@code
 * IOException} or the very exception the plain client threw (the JDK's client throws {@code
 * IllegalArgumentException} for a {@code Content-Length} that is not a number); and what the cache
 * stores for the URL, if anything, is exactly what the origin sent, never a body cut short or too
 * large. Half the cases use {@code HttpCache.standard()}, half a cache that stores every allowable
 * response for an hour; both with a body limit of 4 096 bytes. 300 cases by default, 3 000 in the
 * long run.
 */
final class HostileServerTest {
  private static final int MAX_BODY = 4_096;
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final TestClock CLOCK = new TestClock();

  private static RawOrigin origin;
  private static HttpClient plain;
  private static HttpCache standard;
  private static HttpCache storing;
  private static CachedHttpClient standardClient;
  private static CachedHttpClient storingClient;
  private static final List<String> undecodable = new CopyOnWriteArrayList<>();
  private static final Map<String, LongAdder> tally = new ConcurrentSkipListMap<>();

  private static void count(String what) {
    tally.computeIfAbsent(what, w -> new LongAdder()).increment();
  }

  /** The kinds of answers, each with its weight. */
  enum Kind {
    WELL_FRAMED(30),
    CLOSE_DELIMITED(8),
    CHUNKED(8),
    TOO_LARGE(10),
    TRUNCATED_LENGTH(10),
    TRUNCATED_CHUNKED(8),
    HUGE_HEADERS(6),
    BROKEN_FRAMING(8),
    REVALIDATED_BY_HOSTILE_304(12);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }

    static Kind pick(Random random) {
      int total = Arrays.stream(values()).mapToInt(k -> k.weight).sum();
      int roll = random.nextInt(total);
      for (Kind k : values()) {
        roll -= k.weight;
        if (roll < 0) {
          return k;
        }
      }
      throw new AssertionError();
    }
  }

  @BeforeAll
  static void start() throws IOException {
    origin = new RawOrigin();
    plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CacheListener listener =
        new CacheListener() {
          @Override
          public void onUndecodable(String key, IOException error) {
            undecodable.add(key + ": " + error);
          }
        };
    standard =
        HttpCache.standard()
            .storage(Storage.inMemory())
            .clock(CLOCK)
            .maxBodySize(MAX_BODY)
            .listener(listener)
            .build();
    storing =
        HttpCache.builder()
            .storage(Storage.inMemory())
            .clock(CLOCK)
            .expireAfter(Duration.ofHours(1))
            .allowableCodes(HttpCache.STANDARD_CODES)
            .maxBodySize(MAX_BODY)
            .listener(listener)
            .build();
    HttpClient delegate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    standardClient = CachedHttpClient.of(delegate, standard);
    storingClient = CachedHttpClient.of(delegate, storing);
  }

  @AfterAll
  static void stop() throws IOException {
    System.out.println("[reliability] hostile servers: " + tally);
    origin.close();
    standard.close();
    storing.close();
    // An entry the cache wrote itself is always decodable.
    assertThat(undecodable).isEmpty();
  }

  static Stream<Arguments> cases() {
    long seed = Reliability.seed("HostileServerTest");
    return IntStream.range(0, Reliability.scale(300, 3_000))
        .mapToObj(i -> Arguments.of(i, seed * 1_000_003L + i));
  }

  /** How one request ended: a response, or an exception. */
  private record Outcome(@Nullable HttpResponse<byte[]> response, @Nullable Throwable error) {
    boolean ok() {
      return response != null;
    }

    String describe() {
      HttpResponse<byte[]> r = response;
      return r != null
          ? "status " + r.statusCode() + ", " + r.body().length + " bytes"
          : String.valueOf(error);
    }
  }

  private static Outcome send(HttpClient client, URI uri) {
    try {
      return new Outcome(
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
              BodyHandlers.ofByteArray()),
          null);
    } catch (Throwable e) {
      return new Outcome(null, e);
    }
  }

  @ParameterizedTest(name = "case {0}")
  @MethodSource("cases")
  void aHostileAnswerEndsAsWithoutTheCacheAndNothingWrongIsStored(int number, long seed)
      throws Exception {
    Random random = new Random(seed);
    Kind kind = Kind.pick(random);
    String path = "/case/" + number;
    Script script = script(kind, random);
    origin.script(path, script.response, script.conditional);
    URI uri = origin.uri(path);
    boolean useStandard = random.nextBoolean();
    HttpCache cache = useStandard ? standard : storing;
    CachedHttpClient client = useStandard ? standardClient : storingClient;
    String what =
        "case "
            + number
            + " "
            + kind
            + (useStandard ? " (standard)" : " (storing)")
            + "; "
            + Reliability.replay()
            + "\n"
            + printable(script.response);

    Outcome expected = send(plain, uri);
    Outcome first = send(client, uri);
    CLOCK.advance(Duration.ofSeconds(1 + random.nextInt(120)));
    Outcome second = send(client, uri);

    // The caching client throws only IOExceptions, and what the JDK's client itself throws for
    // the same answer (it throws IllegalArgumentException for a Content-Length that is not a
    // number, for one): the cache adds no exception of its own.
    Throwable jdk = expected.error;
    for (Outcome o : List.of(first, second)) {
      Throwable e = o.error;
      if (e != null
          && !(e instanceof IOException)
          && !(jdk != null && jdk.getClass().equals(e.getClass()))) {
        fail("an exception the plain client did not throw escaped: " + e + "\n" + what, e);
      }
    }
    assertThat(first.ok())
        .as("first request: %s\n%s", first.describe(), what)
        .isEqualTo(expected.ok());
    HttpResponse<byte[]> reference = expected.response;
    if (reference != null) {
      HttpResponse<byte[]> one = first.response;
      HttpResponse<byte[]> two = second.response;
      if (one == null || two == null) {
        throw new AssertionError(
            "the cache failed where the plain client did not: "
                + first.describe()
                + " / "
                + second.describe()
                + "\n"
                + what);
      }
      assertThat(one.statusCode()).as(what).isEqualTo(reference.statusCode());
      assertThat(one.body()).as(what).isEqualTo(reference.body());
      assertThat(two.statusCode()).as(what).isEqualTo(reference.statusCode());
      assertThat(two.body()).as(what).isEqualTo(reference.body());
    } else {
      assertThat(second.ok()).as("second request: %s\n%s", second.describe(), what).isFalse();
    }

    count("cases");
    count("kind " + kind);
    if (reference == null) {
      count("failed without the cache too");
    } else if (second.response != null && CachedHttpClient.metadata(second.response).fromCache()) {
      count(
          CachedHttpClient.metadata(second.response).revalidated()
              ? "second answered by revalidation"
              : "second answered from the cache");
    }

    // What the cache holds for the URL, if anything, is exactly what the origin sent.
    String key = cache.key(CachedRequest.get(uri));
    Optional<CacheEntry> entry = cache.entry(key);
    if (entry.isPresent()) {
      assertThat(entry.get().problem()).as(what).isEmpty();
      CachedResponse stored = entry.get().response().orElseThrow();
      if (reference == null) {
        throw new AssertionError("stored although the origin's answer failed\n" + what);
      }
      assertThat(stored.statusCode()).as(what).isEqualTo(reference.statusCode());
      assertThat(stored.body()).as(what).isEqualTo(reference.body());
      assertThat(stored.body().length).as(what).isLessThanOrEqualTo(MAX_BODY);
      count("stored");
    }
    if (kind == Kind.TOO_LARGE || kind == Kind.TRUNCATED_LENGTH || kind == Kind.TRUNCATED_CHUNKED) {
      assertThat(entry).as("nothing stored\n" + what).isEmpty();
      assertThat(cache.contains(uri)).as(what).isFalse();
    }
    if (kind == Kind.REVALIDATED_BY_HOSTILE_304 && reference != null && second.response != null) {
      CacheMetadata meta = CachedHttpClient.metadata(second.response);
      if (origin.requests(path) > 2 && meta.fromCache()) {
        assertThat(meta.revalidated()).as(what).isTrue();
      }
    }
  }

  // ---- the answers ----

  /** An answer to plain requests, and one to conditional requests (or null). */
  private record Script(byte[] response, byte @Nullable [] conditional) {}

  private static Script script(Kind kind, Random random) {
    List<String> headers = new ArrayList<>();
    headers.add("Connection: close");
    int count = 1 + random.nextInt(6);
    for (int i = 0; i < count; i++) {
      headers.add(hostileHeader(random));
    }
    byte[] body =
        body(
            random,
            kind == Kind.TOO_LARGE ? MAX_BODY + 1 + random.nextInt(20_000) : random.nextInt(2_000));
    String status =
        "HTTP/1.1 " + List.of(200, 200, 200, 200, 203, 301, 404, 410).get(random.nextInt(8)) + " X";
    switch (kind) {
      case WELL_FRAMED:
        return new Script(framed(status, headers, body), null);
      case CLOSE_DELIMITED:
        return new Script(join(status, headers, body), null);
      case CHUNKED:
        headers.add("Transfer-Encoding: chunked");
        return new Script(join(status, headers, chunked(body, random, false)), null);
      case TOO_LARGE:
        switch (random.nextInt(3)) {
          case 0:
            return new Script(framed(status, headers, body), null);
          case 1:
            return new Script(join(status, headers, body), null);
          default:
            headers.add("Transfer-Encoding: chunked");
            return new Script(join(status, headers, chunked(body, random, false)), null);
        }
      case TRUNCATED_LENGTH:
        {
          headers.add("Content-Length: " + (body.length + 1 + random.nextInt(1_000)));
          return new Script(join(status, headers, body), null);
        }
      case TRUNCATED_CHUNKED:
        headers.add("Transfer-Encoding: chunked");
        return new Script(join(status, headers, chunked(body, random, true)), null);
      case HUGE_HEADERS:
        if (random.nextBoolean()) {
          int n = 1_000 + random.nextInt(5_000);
          for (int i = 0; i < n; i++) {
            headers.add("X-Junk-" + i + ": " + Long.toHexString(random.nextLong()));
          }
        } else {
          for (int i = 0; i < 1 + random.nextInt(8); i++) {
            headers.add(
                List.of("Cache-Control", "ETag", "Vary", "X-Long").get(random.nextInt(4))
                    + ": "
                    + "a".repeat(8_000 + random.nextInt(60_000)));
          }
        }
        return new Script(framed(status, headers, body), null);
      case BROKEN_FRAMING:
        return new Script(broken(status, headers, body, random), null);
      case REVALIDATED_BY_HOSTILE_304:
        {
          // Stored with a validator, stale at once (or to be revalidated): the revalidation gets a
          // 304 with hostile headers, which must not change the body served.
          headers.add("ETag: \"v1\"");
          headers.add(
              List.of(
                      "Cache-Control: no-cache",
                      "Cache-Control: max-age=0",
                      "Cache-Control: max-age=1")
                  .get(random.nextInt(3)));
          List<String> notModified = new ArrayList<>();
          notModified.add("Connection: close");
          for (int i = 0; i < 1 + random.nextInt(6); i++) {
            notModified.add(hostileHeader(random));
          }
          if (random.nextBoolean()) {
            notModified.add("Content-Length: " + random.nextInt(5_000));
          }
          return new Script(
              framed("HTTP/1.1 200 OK", headers, body),
              join("HTTP/1.1 304 Not Modified", notModified, new byte[0]));
        }
    }
    throw new AssertionError(kind);
  }

  private static byte[] framed(String status, List<String> headers, byte[] body) {
    List<String> all = new ArrayList<>(headers);
    all.add("Content-Length: " + body.length);
    return join(status, all, body);
  }

  private static byte[] join(String status, List<String> headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((status + "\r\n").getBytes(ISO_8859_1));
    for (String h : headers) {
      out.writeBytes((h + "\r\n").getBytes(ISO_8859_1));
    }
    out.writeBytes("\r\n".getBytes(ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] chunked(byte[] body, Random random, boolean truncate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + random.nextInt(3_000));
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(ISO_8859_1));
      at += n;
    }
    if (!truncate) {
      out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
      return out.toByteArray();
    }
    byte[] all = out.toByteArray();
    if (all.length == 0 || random.nextBoolean()) {
      // Every chunk, and then no last chunk: the connection just closes.
      return all;
    }
    return Arrays.copyOf(all, random.nextInt(all.length)); // cut anywhere
  }

  private static byte[] broken(String status, List<String> headers, byte[] body, Random random) {
    List<String> h = new ArrayList<>(headers);
    switch (random.nextInt(9)) {
      case 0:
        h.add("Content-Length: -1");
        return join(status, h, body);
      case 1:
        h.add("Content-Length: abc");
        return join(status, h, body);
      case 2:
        h.add("Content-Length: " + body.length);
        h.add("Content-Length: " + (body.length + 5));
        return join(status, h, body);
      case 3:
        h.add(
            "Content-Length: "
                + List.of(String.valueOf(body.length), "abc", "-3", "1, 2").get(random.nextInt(4)));
        h.add("Transfer-Encoding: chunked");
        return join(status, h, random.nextBoolean() ? body : chunked(body, random, false));
      case 4:
        return framed("HTTP/1.1 2OO OK", h, body);
      case 5:
        return framed("HTTP/1.1 99999 Huge", h, body);
      case 6:
        return framed("HTTP/1.0 200", h, body);
      case 7:
        h.add("this line has no colon");
        return framed(status, h, body);
      default:
        {
          // Line feeds without carriage returns.
          String head =
              status + "\n" + String.join("\n", h) + "\nContent-Length: " + body.length + "\n\n";
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.writeBytes(head.getBytes(ISO_8859_1));
          out.writeBytes(body);
          return out.toByteArray();
        }
    }
  }

  private static byte[] body(Random random, int length) {
    byte[] body = new byte[length];
    switch (random.nextInt(3)) {
      case 0:
        random.nextBytes(body);
        break;
      case 1:
        {
          // Text that claims UTF-8 and is not: Latin-1, lone surrogates, overlong forms, cut
          // sequences.
          byte[][] junk = {
            "caf\u00e9 ".getBytes(ISO_8859_1),
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xFF, (byte) 0xFE},
            "plain ".getBytes(ISO_8859_1)
          };
          int at = 0;
          while (at < length) {
            byte[] part = junk[random.nextInt(junk.length)];
            int n = Math.min(part.length, length - at);
            System.arraycopy(part, 0, body, at, n);
            at += n;
          }
          break;
        }
      default:
        Arrays.fill(body, (byte) 'x');
    }
    return body;
  }

  private static String date(Random random) {
    Instant now = CLOCK.instant();
    return switch (random.nextInt(16)) {
      case 0 -> HTTP_DATE.format(now.plusSeconds(random.nextInt(7_200) - 3_600));
      case 1 -> HTTP_DATE.format(now.plusSeconds(86_400L * 365 * 50));
      case 2 -> "0";
      case 3 -> "-1";
      case 4 -> "Thu, 01 Jan 1970 00:00:00 GMT";
      case 5 -> "Fri, 31 Dec 9999 23:59:59 GMT";
      case 6 -> "Sat, 01 Jan 0000 00:00:00 GMT";
      case 7 -> "Mon, 32 Jan 2026 25:61:61 GMT";
      case 8 -> "Sun, 06 Nov 1994 08:49:60 GMT";
      case 9 -> "Sunday, 06-Nov-94 08:49:37 GMT";
      case 10 -> "Sun Nov  6 08:49:37 1994";
      case 11 -> "";
      case 12 -> "Thu, 01 Jan 2026 00:00:00 \u00c9ST";
      case 13 -> "x".repeat(200);
      case 14 -> "Wed, 31 Feb 2026 00:00:00 GMT";
      default -> "Thu, 1 Jan 2026 00:00:00 GMT, Fri, 2 Jan 2026 00:00:00 GMT";
    };
  }

  private static final String[] CACHE_CONTROL = {
    "max-age=60",
    "max-age=0",
    "max-age=-1",
    "max-age=abc",
    "max-age=99999999999999999999999",
    "max-age=\"30\"",
    "max-age",
    "max-age=",
    "s-maxage=5",
    "no-cache",
    "no-cache=\"Set-Cookie, ETag\"",
    "no-cache=\"",
    "no-store",
    "private",
    "private=\"X-Junk\"",
    "public",
    "must-revalidate",
    "proxy-revalidate",
    "immutable",
    "must-understand",
    "stale-while-revalidate=30",
    "stale-if-error=-1",
    "stale-if-error=999999999999",
    "max-age=10, max-age=0",
    ",,,",
    "=",
    "\"",
    "max-age=1e3",
    "MAX-AGE=60",
    " max-age = 60 ",
    "max-age=60;",
    "only-if-cached",
    "caf\u00e9=\u00ff",
    "x".repeat(3_000)
  };

  private static final String[] VARY = {
    "*",
    "",
    ",,,",
    "Accept-Language",
    "accept-language, *",
    "Authorization",
    "Cookie",
    "X-\u00e9",
    "a b c",
    "Accept-Encoding, Accept-Language, User-Agent"
  };

  private static final String[] ETAG = {
    "\"x\"",
    "W/\"x\"",
    "x",
    "\"",
    "W/",
    "\"\"",
    "\"a,b\"",
    "\"caf\u00e9\"",
    "\"" + "e".repeat(2_000) + "\""
  };

  private static final String[] AGE = {
    "-5", "abc", "99999999999999999999", "1, 2", "3600", "", "0x10", "1.5", "2147483648"
  };

  private static String hostileHeader(Random random) {
    return switch (random.nextInt(9)) {
      case 0, 1 -> {
        StringBuilder value = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          if (i > 0) {
            value.append(List.of(", ", ",", ";", " ").get(random.nextInt(4)));
          }
          value.append(CACHE_CONTROL[random.nextInt(CACHE_CONTROL.length)]);
        }
        yield "Cache-Control: " + value;
      }
      case 2 -> "Expires: " + date(random);
      case 3 -> "Date: " + date(random);
      case 4 -> "Age: " + AGE[random.nextInt(AGE.length)];
      case 5 -> "Vary: " + VARY[random.nextInt(VARY.length)];
      case 6 -> "ETag: " + ETAG[random.nextInt(ETAG.length)];
      case 7 -> "Last-Modified: " + date(random);
      default ->
          "Content-Type: "
              + List.of(
                      "text/plain; charset=utf-8",
                      "application/json",
                      "text/html; charset=bogus",
                      "",
                      "caf\u00e9/\u00ff")
                  .get(random.nextInt(5));
    };
  }

  private static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 600); i++) {
      int b = bytes[i] & 0xFF;
      out.append(
          b == '\r'
              ? "\\r"
              : b == '\n'
                  ? "\\n\n"
                  : b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return bytes.length > 600 ? out + "... (" + bytes.length + " bytes)" : out.toString();
  }
}
