package dev.httpcache.jdk;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second process for the shared-cache tests: fetches {@code /item/0 .. /item/n-1} of an origin
 * through a CachedHttpClient on a SQLite file, with several threads, checks every body, and prints
 * {@code hits=H} on success. Exits non-zero on any wrong body or error.
 */
final class ClientProcessMain {
  private ClientProcessMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    URI base = URI.create(args[1]);
    int count = Integer.parseInt(args[2]);
    AtomicInteger hits = new AtomicInteger();
    try (HttpCache cache = HttpCache.builder().storage(Storage.sqlite(file)).build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String path = "/item/" + i;
        work.add(
            pool.submit(
                () -> {
                  HttpResponse<String> r =
                      client.send(
                          HttpRequest.newBuilder(base.resolve(path)).build(),
                          BodyHandlers.ofString());
                  if (!r.body().equals("body of " + path)) {
                    throw new IllegalStateException("wrong body for " + path + ": " + r.body());
                  }
                  if (CachedHttpClient.metadata(r).fromCache()) {
                    hits.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      pool.shutdown();
    }
    System.out.println("hits=" + hits.get());
  }

  /** Starts this class in a new JVM with the test class path. */
  static Process start(Path file, URI base, int count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ClientProcessMain.class.getName(),
            file.toString(),
            base.toString(),
            String.valueOf(count))
        .redirectErrorStream(true)
        .start();
  }

  /** Waits for a child and returns its output; throws when it failed. */
  static String finish(Process process) throws Exception {
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new AssertionError("child process failed:\n" + out);
    }
    return out.trim();
  }
}
