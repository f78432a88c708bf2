package dev.httpcache.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.httpcache.CacheListener;
import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.codec.Codec;
import dev.httpcache.codec.IntegrityException;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The codec fuzzing, run against entries placed straight into a storage: a cache over the storage
 * stores a few responses from a local origin; then, case after case, one entry is replaced (under
 * its own key, bypassing the engine) by a mutation of it (bit flips, truncation, an absurd length,
 * random bytes, trailing bytes, nothing, the frame alone, the payload without its frame, a megabyte
 * of noise, another codec's entry for the same response, another response's entry) or its key is
 * made a redirect alias (to garbage, to nothing, to another response's entry), and the response is
 * requested through {@link CachedHttpClient}.
 *
 * <p>Every request must end within a minute, with no exception but {@link IntegrityException}, and
 * that only under a codec that authenticates its entries (signing, encryption). Under such a codec
 * a response from the cache must have the right body; under one that does not, a mutation that
 * still decodes (a flipped bit in a body, another response's entry) is served as it is, which the
 * report counts and docs/security.md states. A response from the network always has the right body.
 * After each case the valid entry is put back.
 */
public final class HostileEntries {
  private static final int RESPONSES = 8;

  /** Puts a value under a key of the storage's responses; a test may plant files instead. */
  @FunctionalInterface
  public interface Planter {
    void plant(String key, byte[] value) throws IOException;
  }

  /** What a run found; {@link #failures} must be empty. */
  public record Report(Map<String, Long> tally, List<String> failures) {
    public String summary() {
      return tally.toString();
    }
  }

  private HostileEntries() {}

  /** Runs {@code cases} mutations over {@code storage}, planted with {@link Storage#put}. */
  public static Report run(Storage storage, Codec codec, Codec other, int cases, long seed)
      throws Exception {
    return run(
        storage,
        codec,
        other,
        cases,
        seed,
        (key, value) -> storage.put(Namespace.RESPONSES, key, value, null));
  }

  /**
   * Runs {@code cases} mutations over {@code storage} (empty) with a cache of {@code codec}; {@code
   * other} is a codec of another name, whose entries are planted too.
   */
  public static Report run(
      Storage storage, Codec codec, Codec other, int cases, long seed, Planter planter)
      throws Exception {
    Map<String, LongAdder> tally = new ConcurrentSkipListMap<>();
    List<String> failures = new ArrayList<>();
    Random random = new Random(seed);
    try (RawOrigin origin = new RawOrigin()) {
      byte[][] bodies = new byte[RESPONSES][];
      URI[] uris = new URI[RESPONSES];
      for (int i = 0; i < RESPONSES; i++) {
        bodies[i] = new byte[random.nextInt(3_000)];
        random.nextBytes(bodies[i]);
        String head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nETag: \"e"
                + i
                + "\"\r\nContent-Length: "
                + bodies[i].length
                + "\r\nConnection: close\r\n\r\n";
        byte[] script = Arrays.copyOf(head.getBytes(US_ASCII), head.length() + bodies[i].length);
        System.arraycopy(bodies[i], 0, script, head.length(), bodies[i].length);
        origin.script("/e/" + i, script, null);
        uris[i] = origin.uri("/e/" + i);
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpCache cache =
          HttpCache.builder()
              .storage(storage)
              .codec(codec)
              .listener(
                  new CacheListener() {
                    @Override
                    public void onUndecodable(String key, IOException error) {
                      count(tally, "heard: undecodable");
                    }

                    @Override
                    public void onIntegrityFailure(String key, IntegrityException error) {
                      count(tally, "heard: integrity failure");
                    }

                    @Override
                    public void onStorageFault(String operation, IOException error) {
                      count(tally, "heard: storage fault");
                      failures.add("storage fault on " + operation + ": " + error);
                    }
                  })
              .build();
      CachedHttpClient client = CachedHttpClient.of(http, cache);
      // Another codec's entries for the same responses, from a scratch storage.
      Storage scratch = Storage.inMemory();
      CachedHttpClient otherClient =
          CachedHttpClient.of(http, HttpCache.builder().storage(scratch).codec(other).build());

      String[] keys = new String[RESPONSES];
      byte[][] valid = new byte[RESPONSES][];
      byte[][] foreign = new byte[RESPONSES][];
      for (int i = 0; i < RESPONSES; i++) {
        HttpResponse<byte[]> r =
            client.send(HttpRequest.newBuilder(uris[i]).build(), BodyHandlers.ofByteArray());
        keys[i] = CachedHttpClient.metadata(r).key();
        valid[i] = cache.responses().get(keys[i]).orElseThrow();
        otherClient.send(HttpRequest.newBuilder(uris[i]).build(), BodyHandlers.ofByteArray());
        foreign[i] = scratch.get(Namespace.RESPONSES, keys[i]).orElseThrow();
      }

      for (int c = 0; c < cases; c++) {
        int i = random.nextInt(RESPONSES);
        int j = (i + 1 + random.nextInt(RESPONSES - 1)) % RESPONSES;
        int kind = random.nextInt(15);
        String name;
        if (kind < 12) {
          byte[] mutated;
          switch (kind) {
            case 0 -> {
              name = "random bytes";
              mutated = new byte[random.nextInt(300)];
              random.nextBytes(mutated);
            }
            case 1 -> {
              name = "truncated";
              mutated = Arrays.copyOf(valid[i], random.nextInt(valid[i].length));
            }
            case 2, 3 -> {
              name = "bits flipped";
              mutated = valid[i].clone();
              for (int f = 0, n = 1 + random.nextInt(4); f < n; f++) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
              }
            }
            case 4 -> {
              name = "an absurd length";
              mutated = valid[i].clone();
              int at = random.nextInt(Math.min(mutated.length, 80));
              for (int k = at; k < Math.min(mutated.length, at + 5); k++) {
                mutated[k] = (byte) 0xFF;
              }
            }
            case 5 -> {
              name = "trailing bytes";
              mutated = Arrays.copyOf(valid[i], valid[i].length + 1 + random.nextInt(20));
            }
            case 6 -> {
              name = "empty";
              mutated = new byte[0];
            }
            case 7 -> {
              name = "the frame alone";
              mutated = Arrays.copyOf(valid[i], 5 + (valid[i][4] & 0xFF));
            }
            case 8 -> {
              name = "the payload without its frame";
              mutated = Arrays.copyOfRange(valid[i], 5 + (valid[i][4] & 0xFF), valid[i].length);
            }
            case 9 -> {
              name = "a megabyte of noise";
              mutated = new byte[1 << 20];
              random.nextBytes(mutated);
              System.arraycopy(valid[i], 0, mutated, 0, Math.min(valid[i].length, 40));
            }
            case 10 -> {
              name = "another codec's entry";
              mutated = foreign[i];
            }
            default -> {
              name = "another response's entry";
              mutated = valid[j];
            }
          }
          planter.plant(keys[i], mutated);
        } else {
          storage.remove(Namespace.RESPONSES, keys[i]);
          byte[] alias;
          switch (kind) {
            case 12 -> {
              name = "an alias to garbage";
              alias = new byte[1 + random.nextInt(600)];
              random.nextBytes(alias);
            }
            case 13 -> {
              name = "an alias to nothing";
              alias = "0".repeat(64).getBytes(US_ASCII);
            }
            default -> {
              name = "an alias to another response";
              alias = keys[j].getBytes(US_ASCII);
            }
          }
          storage.put(Namespace.REDIRECTS, keys[i], alias, null);
        }
        count(tally, "planted: " + name);

        String what =
            "case "
                + c
                + " ("
                + name
                + " at /e/"
                + i
                + ", "
                + codec.name()
                + "); "
                + Reliability.replay();
        Throwable error = null;
        HttpResponse<byte[]> response = null;
        CompletableFuture<HttpResponse<byte[]>> future =
            client.sendAsync(
                HttpRequest.newBuilder(uris[i]).timeout(Duration.ofSeconds(30)).build(),
                BodyHandlers.ofByteArray());
        try {
          response = future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          error = e.getCause();
        } catch (TimeoutException e) {
          future.cancel(true);
          failures.add(what + ": no answer within a minute");
        } catch (Throwable e) { // an Error in the caller's thread
          failures.add(what + ": " + e);
        }
        if (error instanceof IntegrityException) {
          count(tally, "raised IntegrityException");
          if (!codec.authenticates()) {
            failures.add(what + ": IntegrityException under a codec that does not authenticate");
          }
        } else if (error != null) {
          failures.add(what + ": " + error);
        } else if (response != null) {
          CacheMetadata meta = CachedHttpClient.metadata(response);
          boolean right = response.statusCode() == 200 && Arrays.equals(response.body(), bodies[i]);
          if (!meta.fromCache()) {
            count(tally, "answered from the network");
            if (!right) {
              failures.add(what + ": a wrong body from the network");
            }
          } else if (right) {
            count(tally, "answered from the cache, right body");
          } else if (codec.authenticates()) {
            failures.add(what + ": a changed entry served under " + codec.name());
          } else {
            count(tally, "answered from the cache, changed undetected (no authentication)");
          }
        }
        // Put the valid entry back for the next case.
        storage.remove(Namespace.REDIRECTS, keys[i]);
        storage.put(Namespace.RESPONSES, keys[i], valid[i], null);
        if (failures.size() > 20) {
          break;
        }
      }
      scratch.close();
    }
    Map<String, Long> counts = new TreeMap<>();
    tally.forEach((k, v) -> counts.put(k, v.sum()));
    return new Report(Collections.unmodifiableMap(counts), List.copyOf(failures));
  }

  private static void count(Map<String, LongAdder> tally, String what) {
    tally.computeIfAbsent(what, w -> new LongAdder()).increment();
  }
}
