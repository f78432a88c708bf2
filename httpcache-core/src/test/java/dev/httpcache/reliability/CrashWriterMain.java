package dev.httpcache.reliability;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * A process that is killed while it writes: opens a storage, prints {@code ready}, then writes
 * self-checking values ({@link Checked}) over a set of keys without end, now and then removing one,
 * purging or trimming (transactions of several statements), and prints {@code w N} after the N-th
 * write, so that its parent can kill it at a chosen moment.
 *
 * <pre>
 * args: sqlite|filesystem LOCATION KEYS SEED
 * </pre>
 */
final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    Path location = Path.of(args[1]);
    int keys = Integer.parseInt(args[2]);
    Random random = new Random(Long.parseLong(args[3]));
    String writer = "c" + ProcessHandle.current().pid();
    try (Storage storage = SharedStorageMain.open(kind, location)) {
      System.out.println("ready");
      for (long n = 1; ; n++) {
        String key = SharedStorageMain.key(random.nextInt(keys));
        int roll = random.nextInt(100);
        if (roll < 85) {
          // Large values too, so that a kill often lands in the middle of one.
          int length = random.nextInt(4) == 0 ? random.nextInt(256_000) : random.nextInt(8_000);
          storage.put(
              Namespace.RESPONSES,
              key,
              Checked.value(key, writer, length, random),
              random.nextBoolean() ? SharedStorageMain.PAST : SharedStorageMain.FUTURE);
        } else if (roll < 95) {
          storage.remove(Namespace.RESPONSES, key);
        } else if (roll < 98) {
          storage.removeExpired(Namespace.RESPONSES, Instant.parse("2020-01-01T00:00:00Z"));
        } else {
          storage.trim(keys / 2, Long.MAX_VALUE);
        }
        System.out.println("w " + n);
      }
    }
  }
}
