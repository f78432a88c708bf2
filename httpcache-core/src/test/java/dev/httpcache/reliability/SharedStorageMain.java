package dev.httpcache.reliability;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One of several processes on one storage: reads and writes overlapping keys with self-checking
 * values ({@link Checked}), and now and then scans, counts, purges and trims, then prints what it
 * did and every error it met. It never stops at an error: it counts them, and the parent requires
 * zero. Exits 0 when it ran to the end.
 *
 * <pre>
 * args: sqlite|filesystem LOCATION WRITER OPERATIONS KEYS SEED
 * </pre>
 */
final class SharedStorageMain {
  private SharedStorageMain() {}

  static final Instant PAST = Instant.parse("2001-01-01T00:00:00Z");
  static final Instant FUTURE = Instant.parse("2100-01-01T00:00:00Z");

  static Storage open(String kind, Path location) throws java.io.IOException {
    return kind.equals("sqlite") ? Storage.sqlite(location) : Storage.filesystem(location);
  }

  /** The shared keys: most plain, some that the filesystem storage must encode. */
  static String key(int i) {
    return i % 10 == 0 ? "Odd Key/" + i + ":x" : "k" + i;
  }

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    Path location = Path.of(args[1]);
    String writer = args[2];
    int operations = Integer.parseInt(args[3]);
    int keys = Integer.parseInt(args[4]);
    Random random = new Random(Long.parseLong(args[5]));
    long gets = 0;
    long found = 0;
    long puts = 0;
    long removes = 0;
    long passes = 0;
    long ioErrors = 0;
    long otherErrors = 0;
    long torn = 0;
    List<String> errors = new ArrayList<>();
    try (Storage storage = open(kind, location)) {
      for (int n = 0; n < operations; n++) {
        String key = key(random.nextInt(keys));
        int roll = random.nextInt(100);
        try {
          if (roll < 47) {
            int length = random.nextInt(10) == 0 ? random.nextInt(64_000) : random.nextInt(4_000);
            Instant expires =
                switch (random.nextInt(3)) {
                  case 0 -> null;
                  case 1 -> PAST;
                  default -> FUTURE;
                };
            storage.put(
                Namespace.RESPONSES, key, Checked.value(key, writer, length, random), expires);
            puts++;
          } else if (roll < 87) {
            gets++;
            Optional<byte[]> value = storage.get(Namespace.RESPONSES, key);
            if (value.isPresent()) {
              found++;
              String problem = Checked.problem(key, value.get());
              if (problem != null) {
                torn++;
                errors.add("get " + key + ": " + problem);
              }
            }
          } else if (roll < 95) {
            storage.remove(Namespace.RESPONSES, key);
            removes++;
          } else if (roll < 97) {
            passes++;
            try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
              for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
                if (random.nextInt(4) == 0) {
                  Optional<byte[]> value = storage.get(Namespace.RESPONSES, item.get().key());
                  String problem =
                      value.isPresent() ? Checked.problem(item.get().key(), value.get()) : null;
                  if (problem != null) {
                    torn++;
                    errors.add("scan " + item.get().key() + ": " + problem);
                  }
                }
              }
            }
          } else if (roll < 98) {
            passes++;
            storage.count(Namespace.RESPONSES);
            storage.bytes(Namespace.RESPONSES);
          } else if (roll < 99) {
            passes++;
            storage.removeExpired(Namespace.RESPONSES, Instant.parse("2020-01-01T00:00:00Z"));
          } else {
            passes++;
            storage.trim(keys * 3L / 4, Long.MAX_VALUE);
          }
        } catch (java.io.IOException e) {
          ioErrors++;
          errors.add(e.toString());
        } catch (RuntimeException e) {
          otherErrors++;
          errors.add(e.toString());
        }
      }
    }
    System.out.println(
        "writer="
            + writer
            + " gets="
            + gets
            + " found="
            + found
            + " puts="
            + puts
            + " removes="
            + removes
            + " passes="
            + passes
            + " ioErrors="
            + ioErrors
            + " otherErrors="
            + otherErrors
            + " torn="
            + torn);
    for (String error : errors.subList(0, Math.min(errors.size(), 20))) {
      System.out.println("error: " + error);
    }
  }
}
