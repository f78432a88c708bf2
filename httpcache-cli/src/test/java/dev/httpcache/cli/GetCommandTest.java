package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class GetCommandTest {
  @StartStop private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger served = new AtomicInteger();

  @TempDir Path dir;

  GetCommandTest() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/plain")
                .body("hello " + served.incrementAndGet())
                .build();
          }
        });
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private String cache() {
    return dir.resolve("http_cache.sqlite").toString();
  }

  @Test
  void secondGetIsAHitAndTheOriginSeesOneRequest() {
    Cli.Result first = Cli.run("get", "--cache", cache(), url("/a"));
    Cli.Result second = Cli.run("get", "--cache", cache(), url("/a"));

    assertThat(first.status()).isZero();
    assertThat(first.out()).isEqualTo("hello 1");
    assertThat(first.errLines()).contains("status: 200", "cache: miss, stored", "expires: never");
    assertThat(second.status()).isZero();
    assertThat(second.out()).isEqualTo("hello 1");
    assertThat(second.errLines()).contains("status: 200", "cache: hit", "expires: never");
    assertThat(seen).hasSize(1);
  }

  @Test
  void statusLinesNameTheSameKeyAndCreatedTimeOnMissAndHit() {
    Cli.Result first = Cli.run("get", "--cache", cache(), url("/a"));
    Cli.Result second = Cli.run("get", "--cache", cache(), url("/a"));

    List<String> firstMeta = first.errLines().stream().filter(l -> l.startsWith("key: ")).toList();
    assertThat(firstMeta).hasSize(1);
    assertThat(firstMeta.get(0)).matches("key: [0-9a-f]{64}");
    assertThat(second.errLines()).contains(firstMeta.get(0));
    assertThat(first.errLines()).anyMatch(l -> l.matches("created: \\d{4}-\\d\\d-\\d\\dT.*Z"));
  }

  @Test
  void methodHeadersAndDataReachTheOriginAsGiven() {
    Cli.Result result =
        Cli.run(
            "get",
            "--cache",
            cache(),
            "-X",
            "PUT",
            "-H",
            "X-Token: abc def",
            "-H",
            "Accept:text/plain",
            "-d",
            "a=1&b=2",
            url("/things?x=1"));

    assertThat(result.status()).isZero();
    assertThat(result.errLines()).contains("cache: skipped (PUT requests are not cached)");
    assertThat(seen).hasSize(1);
    RecordedRequest request = seen.get(0);
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getTarget()).isEqualTo("/things?x=1");
    assertThat(request.getHeaders().get("X-Token")).isEqualTo("abc def");
    assertThat(request.getHeaders().get("Accept")).isEqualTo("text/plain");
    assertThat(request.getHeaders().get("Content-Type"))
        .isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.getBody().utf8()).isEqualTo("a=1&b=2");
  }

  @Test
  void dataImpliesPostAndKeepsAGivenContentType() {
    Cli.Result result =
        Cli.run(
            "get",
            "--cache",
            cache(),
            "-H",
            "Content-Type: application/json",
            "-d",
            "{\"q\": 1}",
            url("/search"));

    assertThat(result.status()).isZero();
    assertThat(seen.get(0).getMethod()).isEqualTo("POST");
    assertThat(seen.get(0).getHeaders().values("Content-Type")).containsExactly("application/json");
    assertThat(seen.get(0).getBody().utf8()).isEqualTo("{\"q\": 1}");
  }

  @Test
  void dataFromAFileIsSentByteForByte() throws IOException {
    byte[] bytes = {0, 1, 2, (byte) 0xff, '\n'};
    Path file = Files.write(dir.resolve("body.bin"), bytes);

    Cli.Result result = Cli.run("get", "--cache", cache(), "-d", "@" + file, url("/upload"));

    assertThat(result.status()).isZero();
    assertThat(seen.get(0).getBody().toByteArray()).isEqualTo(bytes);
  }

  @Test
  void theBodyGoesToStandardOutputUnchanged() {
    byte[] bytes = {(byte) 0xc3, (byte) 0x28, 0, (byte) 0xff};
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).body(new Buffer().write(bytes)).build();
          }
        });

    Cli.Result miss = Cli.run("get", "--cache", cache(), url("/bin"));
    Cli.Result hit = Cli.run("get", "--cache", cache(), url("/bin"));

    assertThat(miss.stdout()).isEqualTo(bytes);
    assertThat(hit.stdout()).isEqualTo(bytes);
  }

  @Test
  void onlyIfCachedAnswers504WithoutTheNetworkWhenNothingIsStored() {
    Cli.Result result = Cli.run("get", "--cache", cache(), "--only-if-cached", url("/a"));

    assertThat(result.status()).isZero();
    assertThat(result.errLines())
        .contains("status: 504", "cache: miss (only-if-cached, and nothing usable is stored)");
    assertThat(seen).isEmpty();
  }

  @Test
  void onlyIfCachedServesWhatIsStored() {
    Cli.run("get", "--cache", cache(), url("/a"));

    Cli.Result result = Cli.run("get", "--cache", cache(), "--only-if-cached", url("/a"));

    assertThat(result.out()).isEqualTo("hello 1");
    assertThat(result.errLines()).contains("status: 200", "cache: hit");
    assertThat(seen).hasSize(1);
  }

  @Test
  void forceRefreshFetchesAgainAndStoresTheNewResponse() {
    Cli.run("get", "--cache", cache(), url("/a"));

    Cli.Result refreshed = Cli.run("get", "--cache", cache(), "--force-refresh", url("/a"));
    Cli.Result after = Cli.run("get", "--cache", cache(), url("/a"));

    assertThat(refreshed.out()).isEqualTo("hello 2");
    assertThat(refreshed.errLines()).contains("cache: miss, stored");
    assertThat(after.out()).isEqualTo("hello 2");
    assertThat(after.errLines()).contains("cache: hit");
    assertThat(seen).hasSize(2);
  }

  @Test
  void refreshRevalidatesAStoredResponseWithAValidator() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            if ("\"v1\"".equals(request.getHeaders().get("If-None-Match"))) {
              return new MockResponse.Builder().code(304).setHeader("ETag", "\"v1\"").build();
            }
            return new MockResponse.Builder()
                .code(200)
                .setHeader("ETag", "\"v1\"")
                .body("v1")
                .build();
          }
        });
    Cli.run("get", "--cache", cache(), url("/e"));

    Cli.Result result = Cli.run("get", "--cache", cache(), "--refresh", url("/e"));

    assertThat(result.out()).isEqualTo("v1");
    assertThat(result.errLines()).contains("status: 200", "cache: hit, revalidated");
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1).getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");
  }

  @Test
  void expireAfterSetsTheExpiryOfTheStoredResponse() {
    Cli.Result result = Cli.run("get", "--cache", cache(), "--expire-after", "10m", url("/a"));

    assertThat(result.errLines()).contains("cache: miss, stored");
    assertThat(result.errLines())
        .anyMatch(l -> l.matches("expires: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
  }

  @Test
  void skipCacheNeitherReadsNorWrites() {
    Cli.run("get", "--cache", cache(), url("/a"));

    Cli.Result skipped = Cli.run("get", "--cache", cache(), "--skip-cache", url("/a"));

    assertThat(skipped.out()).isEqualTo("hello 2");
    assertThat(skipped.errLines()).contains("cache: skipped (--skip-cache)");
    assertThat(seen).hasSize(2);
  }

  @Test
  void silentPrintsOnlyTheBody() {
    Cli.Result result = Cli.run("get", "--cache", cache(), "-s", url("/a"));

    assertThat(result.status()).isZero();
    assertThat(result.out()).isEqualTo("hello 1");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void aRedirectIsNotFollowedUnlessAsked() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            if (request.getTarget().equals("/old")) {
              return new MockResponse.Builder().code(301).setHeader("Location", "/new").build();
            }
            return new MockResponse.Builder().code(200).body("new").build();
          }
        });

    Cli.Result plain = Cli.run("get", "--cache", cache(), url("/old"));
    Cli.Result followed = Cli.run("get", "--cache", cache(), "-L", url("/old"));

    assertThat(plain.errLines()).contains("status: 301", "cache: miss, not stored");
    assertThat(followed.errLines()).contains("status: 200", "cache: miss, stored");
    assertThat(followed.out()).isEqualTo("new");
  }

  @Test
  void anErrorLineNeverShowsASecretOfTheUrl() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/data?q=1&api_key=s3cr3t";

    Cli.Result result = Cli.run("get", "--cache", cache(), url);

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.errLines())
        .containsExactly(
            "httpcache: cannot connect to http://127.0.0.1:"
                + closedPort
                + "/data?q=1&api_key=REDACTED: Connection refused");
  }

  @Test
  void anUnreachableOriginFailsWithOneLine() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/";

    Cli.Result result = Cli.run("get", "--cache", cache(), url);

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.errLines())
        .containsExactly("httpcache: cannot connect to " + url + ": Connection refused");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void aBadUrlFailsWithOneLineAndTouchesNoCacheFile() {
    for (String bad : List.of("not a url", "example.com/path", "ftp://example.com/", "http:///x")) {
      Cli.Result result = Cli.run("get", "--cache", cache(), bad);

      assertThat(result.status()).as(bad).isEqualTo(2);
      assertThat(result.errLines()).as(bad).hasSize(1);
      assertThat(result.err()).as(bad).startsWith("httpcache: bad URL '" + bad + "': ");
    }
    assertThat(dir.resolve("http_cache.sqlite")).doesNotExist();
  }

  @Test
  void aBadHeaderFailsWithOneLine() {
    for (String bad : List.of("NoColon", ": value", "Bad Name: value")) {
      Cli.Result result = Cli.run("get", "--cache", cache(), "-H", bad, url("/a"));

      assertThat(result.status()).as(bad).isEqualTo(2);
      assertThat(result.errLines()).as(bad).hasSize(1);
      assertThat(result.err())
          .as(bad)
          .startsWith("httpcache: --header: bad header '" + bad + "': expected 'Name: value'")
          .endsWith(" (see 'httpcache get --help')" + System.lineSeparator());
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void aRestrictedHeaderFailsWithOneLine() {
    Cli.Result result = Cli.run("get", "--cache", cache(), "-H", "Host: example.com", url("/a"));

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith("httpcache: cannot send header 'Host: example.com': ");
    assertThat(seen).isEmpty();
  }

  @Test
  void aFileThatIsNotACacheFailsWithOneLine() throws IOException {
    Path notACache =
        Files.writeString(dir.resolve("notes.txt"), "these are not the bytes of SQLite");

    Cli.Result result = Cli.run("get", "--cache", notACache.toString(), url("/a"));

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith("httpcache: cannot open the cache: ")
        .contains(notACache.toAbsolutePath().toString());
    assertThat(Files.readString(notACache, UTF_8)).isEqualTo("these are not the bytes of SQLite");
    assertThat(seen).isEmpty();
  }

  @Test
  void aCachePathUnderAFileFailsWithOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");

    Cli.Result result = Cli.run("get", "--cache", file.resolve("c.sqlite").toString(), url("/a"));

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.errLines())
        .containsExactly(
            "httpcache: cannot open the cache "
                + file.resolve("c.sqlite").toAbsolutePath()
                + ": a file is in the way: "
                + file.toAbsolutePath());
  }

  @Test
  void aBadDurationOrConflictingOptionsFailWithOneLine() {
    List<List<String>> bad =
        List.of(
            List.of("--expire-after", "10"),
            List.of("--expire-after", "soon"),
            List.of("--connect-timeout", "-1s"),
            List.of("--skip-cache", "--only-if-cached"),
            List.of("--only-if-cached", "--refresh"),
            List.of("--refresh", "--force-refresh"),
            List.of("--no-such-option"));
    for (List<String> options : bad) {
      List<String> args = new java.util.ArrayList<>(List.of("get", "--cache", cache()));
      args.addAll(options);
      args.add(url("/a"));

      Cli.Result result = Cli.run(args.toArray(String[]::new));

      assertThat(result.status()).as("%s", options).isEqualTo(2);
      assertThat(result.errLines()).as("%s", options).hasSize(1);
      assertThat(result.err()).as("%s", options).startsWith("httpcache: ");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void aMissingUrlFailsWithOneLine() {
    Cli.Result result = Cli.run("get", "--cache", cache());

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.errLines())
        .containsExactly(
            "httpcache: Missing required parameter: 'URL' (see 'httpcache get --help')");
  }
}
