package dev.httpcache.redis;

import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process of its own for the shared-cache test: fetches {@code /item/0 .. /item/n-1} of an origin
 * through a CachedHttpClient on the Redis storage of a URL, checks every body, and prints {@code
 * hits=H}. Exits non-zero on a wrong body or any error.
 */
final class RedisClientMain {
  private RedisClientMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    URI base = URI.create(args[1]);
    int count = Integer.parseInt(args[2]);
    int hits = 0;
    try (HttpCache cache = HttpCache.builder().storage(RedisStorage.fromUrl(url)).build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      for (int i = 0; i < count; i++) {
        String path = "/item/" + i;
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString());
        if (!r.body().equals("body of " + path)) {
          throw new IllegalStateException("wrong body for " + path + ": " + r.body());
        }
        if (CachedHttpClient.metadata(r).fromCache()) {
          hits++;
        }
      }
    }
    System.out.println("hits=" + hits);
  }

  /** Runs this class in a new JVM with the test class path and returns what it printed. */
  static String run(String url, URI base, int count) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                RedisClientMain.class.getName(),
                url,
                base.toString(),
                String.valueOf(count))
            .redirectErrorStream(true)
            .start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("child JVM failed:\n" + out);
      }
      return out;
    } finally {
      process.destroyForcibly();
    }
  }
}
