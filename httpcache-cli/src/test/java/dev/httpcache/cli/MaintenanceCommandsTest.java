package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspection and maintenance commands, run in this JVM as a user would type them, on a real
 * SQLite file filled through {@code get} from a real local origin.
 */
final class MaintenanceCommandsTest {
  @StartStop private final MockWebServer server = new MockWebServer();
  private final AtomicInteger served = new AtomicInteger();

  @TempDir Path dir;

  MaintenanceCommandsTest() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            served.incrementAndGet();
            if (request.getTarget().startsWith("/binary")) {
              return new MockResponse.Builder()
                  .code(200)
                  .body(new okio.Buffer().write(new byte[] {0, 1, 2, (byte) 0xFF}))
                  .build();
            }
            return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/plain")
                .setHeader("ETag", "\"v1\"") // so that an entry stored already expired is kept
                .body("body of " + request.getTarget())
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

  private void fill(String... paths) {
    for (String path : paths) {
      assertThat(Cli.run("get", "-s", "--cache", cache(), url(path)).status()).isZero();
    }
  }

  private void fillExpired(String path) {
    assertThat(Cli.run("get", "-s", "--expire-after", "0", "--cache", cache(), url(path)).status())
        .isZero();
  }

  @Test
  void lsPrintsATableOfEveryEntry() {
    fill("/a", "/b");

    Cli.Result ls = Cli.run("ls", "--cache", cache());

    assertThat(ls.status()).isZero();
    List<String> lines = ls.out().lines().toList();
    assertThat(lines.get(0)).startsWith("KEY").contains("STATUS", "SIZE", "EXPIRES", "URL");
    assertThat(lines).anyMatch(l -> l.endsWith(url("/a")) && l.contains(" 200 "));
    assertThat(lines).anyMatch(l -> l.endsWith(url("/b")));
    assertThat(lines.get(lines.size() - 1)).startsWith("2 entries");
  }

  @Test
  void lsFiltersByStateUrlAndAge() {
    fill("/keep", "/other");
    fillExpired("/stale");

    assertThat(Cli.run("ls", "--expired", "--cache", cache()).out())
        .contains(url("/stale"))
        .doesNotContain(url("/keep"));
    assertThat(Cli.run("ls", "--valid", "--cache", cache()).out())
        .contains(url("/keep"), url("/other"))
        .doesNotContain(url("/stale"));
    assertThat(Cli.run("ls", "--url", "127.0.0.1:*/k*", "--cache", cache()).out())
        .contains(url("/keep"))
        .doesNotContain(url("/other"));
    assertThat(Cli.run("ls", "--older-than", "1d", "--cache", cache()).out())
        .startsWith("KEY")
        .contains("0 entries");
  }

  @Test
  void lsJsonIsAnArrayAScriptCanRead() throws Exception {
    fill("/a");
    fillExpired("/b");

    Cli.Result ls = Cli.run("ls", "--json", "--cache", cache());

    assertThat(ls.status()).isZero();
    List<String> urls = new ArrayList<>();
    List<Boolean> expired = new ArrayList<>();
    try (JsonParser p = Json.FACTORY.createParser(ls.out())) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if (name.equals("url")) {
            urls.add(p.getText());
          } else if (name.equals("expired")) {
            expired.add(p.getBooleanValue());
          } else if (name.equals("key")) {
            assertThat(p.getText()).matches("[0-9a-f]{64}");
          }
        }
      }
    }
    assertThat(urls).containsExactlyInAnyOrder(url("/a"), url("/b"));
    assertThat(expired).containsExactlyInAnyOrder(true, false);
  }

  @Test
  void showPrintsMetadataHeadersAndBodyByUrlOrKeyPrefix() {
    fill("/a");
    String key =
        Cli.run("get", "--cache", cache(), url("/a")).errLines().stream()
            .filter(l -> l.startsWith("key: "))
            .findFirst()
            .orElseThrow()
            .substring(5);

    Cli.Result byUrl = Cli.run("show", "--cache", cache(), url("/a"));
    Cli.Result byPrefix = Cli.run("show", "--cache", cache(), key.substring(0, 16));

    assertThat(byUrl.status()).isZero();
    assertThat(byUrl.out())
        .contains("key: " + key, "url: " + url("/a"), "status: 200", "< content-type: text/plain")
        .endsWith("body of /a\n");
    assertThat(byPrefix.out()).isEqualTo(byUrl.out());
    assertThat(Cli.run("show", "--body", "--cache", cache(), url("/a")).out())
        .isEqualTo("body of /a");
  }

  @Test
  void showSaysABinaryBodyIsBinaryAndWritesItWithBody() {
    fill("/binary");

    assertThat(Cli.run("show", "--cache", cache(), url("/binary")).out())
        .contains("(a binary body of 4 bytes");
    assertThat(Cli.run("show", "--body", "--cache", cache(), url("/binary")).stdout())
        .containsExactly(0, 1, 2, 0xFF);
  }

  @Test
  void showOfNothingFailsInOneLine() {
    Cli.Result show = Cli.run("show", "--cache", cache(), url("/nothing"));

    assertThat(show.status()).isEqualTo(1);
    assertThat(show.errLines())
        .containsExactly("httpcache: nothing is stored under " + url("/nothing"));
  }

  @Test
  void rmDeletesByUrlAndFailsForWhatIsNotStored() {
    fill("/a", "/b");

    Cli.Result rm = Cli.run("rm", "--cache", cache(), url("/a"), url("/never"));

    assertThat(rm.status()).isEqualTo(1);
    assertThat(rm.out()).isEqualTo("deleted 1 of 2\n");
    assertThat(rm.err()).contains("nothing is stored under " + url("/never"));
    assertThat(Cli.run("ls", "--cache", cache()).out())
        .doesNotContain(url("/a"))
        .contains(url("/b"));
  }

  @Test
  void purgeRemovesExpiredEntriesOrEverything() {
    fill("/keep");
    fillExpired("/stale1");
    fillExpired("/stale2");

    Cli.Result purge = Cli.run("purge", "--expired", "--cache", cache());

    assertThat(purge.status()).isZero();
    assertThat(purge.out()).isEqualTo("purged 2 entries\n");
    assertThat(Cli.run("stats", "--cache", cache()).out()).contains("responses: 1");
    assertThat(Cli.run("purge", "--all", "--cache", cache()).out()).isEqualTo("purged 1 entry\n");
    assertThat(Cli.run("stats", "--cache", cache()).out()).contains("responses: 0");
    assertThat(Cli.run("purge", "--cache", cache()).status()).isEqualTo(2);
  }

  @Test
  void purgeUndecodableRemovesGarbageOnly() throws Exception {
    fill("/good");
    try (var storage = dev.httpcache.storage.Storage.sqlite(Path.of(cache()))) {
      storage.put(
          dev.httpcache.storage.Storage.Namespace.RESPONSES,
          "junk",
          "exploit!".getBytes(UTF_8),
          null);
    }

    assertThat(Cli.run("ls", "--undecodable", "--cache", cache()).out())
        .contains("junk", "(undecodable");
    assertThat(Cli.run("purge", "--undecodable", "--cache", cache()).out())
        .isEqualTo("purged 1 entry\n");
    assertThat(Cli.run("ls", "--cache", cache()).out())
        .contains(url("/good"))
        .doesNotContain("junk");
  }

  @Test
  void statsCountEntriesBytesAndTheFile() {
    fill("/a", "/b", "/c");

    Cli.Result stats = Cli.run("stats", "--cache", cache());
    Cli.Result json = Cli.run("stats", "--json", "--cache", cache());

    assertThat(stats.status()).isZero();
    assertThat(stats.out()).contains("responses: 3", "redirect aliases: 0", "file: ");
    assertThat(json.out()).contains("\"entries\":3").startsWith("{");
  }

  @Test
  void exportAndImportCarryACacheIntoAnotherStorage() throws Exception {
    fill("/a", "/b");
    fillExpired("/c");
    Path export = dir.resolve("backup.jsonl.gz");

    Cli.Result out = Cli.run("export", "--cache", cache(), export.toString());
    String other = dir.resolve("other.sqlite").toString();
    Cli.Result in = Cli.run("import", "--cache", other, export.toString());

    assertThat(out.status()).isZero();
    assertThat(out.err()).contains("exported 3 values");
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                new GZIPInputStream(Files.newInputStream(export)), UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("{\"format\":\"httpcache-export\",\"version\":1}");
    }
    assertThat(in.status()).isZero();
    assertThat(in.err()).contains("imported 3 values");
    int before = served.get();
    Cli.Result hit = Cli.run("get", "--only-if-cached", "--cache", other, url("/a"));
    assertThat(hit.out()).isEqualTo("body of /a");
    assertThat(hit.errLines()).contains("cache: hit");
    assertThat(Cli.run("ls", "--expired", "--cache", other).out()).contains(url("/c"));
    assertThat(served.get()).isEqualTo(before);
  }

  @Test
  void importStopsAtABadLineWithItsNumber() throws Exception {
    fill("/a");
    Path export = dir.resolve("backup.jsonl");
    assertThat(Cli.run("export", "--cache", cache(), export.toString()).status()).isZero();
    List<String> lines = new ArrayList<>(Files.readAllLines(export));
    lines.add("{\"namespace\":\"responses\",\"key\":\"k\",\"value\":\"***not base64***\"}");
    lines.add("{\"namespace\":\"responses\",\"key\":\"k2\",\"value\":\"AAAA\"}");
    Files.write(export, lines);

    Cli.Result in =
        Cli.run("import", "--cache", dir.resolve("o.sqlite").toString(), export.toString());

    assertThat(in.status()).isEqualTo(1);
    assertThat(in.err()).contains("imported 1 values before the bad line");
    assertThat(in.errLines()).anyMatch(l -> l.startsWith("httpcache: " + export + ": line 3: "));
    Files.writeString(export, "{\"format\":\"something else\"}\n");
    assertThat(Cli.run("import", "--cache", cache(), export.toString()).err())
        .contains("line 1: not an httpcache export");
  }

  @Test
  void theCodecOptionReadsEntriesOfAnotherCodec() {
    Cli.Result stored = Cli.run("get", "-s", "--codec", "json", "--cache", cache(), url("/j"));
    assertThat(stored.status()).isZero();

    assertThat(Cli.run("ls", "--codec", "json", "--cache", cache()).out()).contains(url("/j"));
    assertThat(Cli.run("ls", "--cache", cache()).out()).contains("(another codec's entry");
    assertThat(Cli.run("ls", "--codec", "nonsense", "--cache", cache()).err())
        .contains("unknown base 'nonsense'");
  }

  @Test
  void aSignedCacheNeedsItsKey() {
    String key = Cli.run("keygen").out().trim();
    Map<String, String> env = Map.of("HTTPCACHE_KEY", key);
    Cli.Result stored =
        Cli.runWithEnvironment(
            env, "get", "-s", "--codec", "signed", "--cache", cache(), url("/s"));
    assertThat(stored.status()).isZero();

    assertThat(Cli.runWithEnvironment(env, "ls", "--codec", "signed", "--cache", cache()).out())
        .contains(url("/s"));
    Cli.Result noKey =
        Cli.runWithEnvironment(Map.of(), "ls", "--codec", "signed", "--cache", cache());
    assertThat(noKey.status()).isEqualTo(2);
    assertThat(noKey.err()).contains("HTTPCACHE_KEY is not set");
  }

  @Test
  void aFolderIsAFilesystemCacheForEveryCommand() {
    String folder = dir.resolve("fs-cache").toString() + "/";
    assertThat(Cli.run("get", "-s", "--cache", folder, url("/f")).status()).isZero();
    assertThat(Cli.run("get", "-s", "--cache", cache(), url("/g")).status()).isZero();
    Path export = dir.resolve("e.jsonl");
    assertThat(Cli.run("export", "--cache", cache(), export.toString()).status()).isZero();

    Cli.Result in = Cli.run("import", "--cache", folder, export.toString());

    assertThat(in.err()).contains("imported 1 value");
    assertThat(Cli.run("ls", "--cache", folder).out()).contains(url("/f"), url("/g"), "2 entries");
    assertThat(Cli.run("stats", "--cache", folder).out())
        .contains("responses: 2")
        .doesNotContain("file:");
    int before = served.get();
    assertThat(Cli.run("get", "--only-if-cached", "--cache", folder, url("/g")).errLines())
        .contains("cache: hit");
    assertThat(served.get()).isEqualTo(before);
  }

  @Test
  void aRedisUrlIsARedisCacheForEveryCommand() {
    // The shared server on 127.0.0.1:6379 (.ci/run starts one); a namespace of this test's own.
    String redis =
        "redis://127.0.0.1:6379/0?namespace=cli-test-" + Long.toHexString(System.nanoTime());
    try {
      assertThat(Cli.run("get", "-s", "--cache", cache(), url("/r")).status()).isZero();
      Path export = dir.resolve("r.jsonl");
      assertThat(Cli.run("export", "--cache", cache(), export.toString()).status()).isZero();

      assertThat(Cli.run("import", "--cache", redis, export.toString()).err())
          .contains("imported 1 value");
      assertThat(Cli.run("ls", "--cache", redis).out()).contains(url("/r"), "1 entry");
      int before = served.get();
      assertThat(Cli.run("get", "--only-if-cached", "--cache", redis, url("/r")).errLines())
          .contains("cache: hit");
      assertThat(served.get()).isEqualTo(before);
      assertThat(Cli.run("stats", "--cache", redis).out()).contains("responses: 1");
    } finally {
      assertThat(Cli.run("purge", "--all", "--cache", redis).out()).isEqualTo("purged 1 entry\n");
    }
    assertThat(Cli.run("stats", "--cache", redis).out()).contains("responses: 0");
    assertThat(Cli.run("ls", "--cache", "redis://127.0.0.1:notaport").status()).isEqualTo(2);
  }
}
