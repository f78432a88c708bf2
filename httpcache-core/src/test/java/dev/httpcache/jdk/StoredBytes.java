package dev.httpcache.jdk;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Everything a storage holds, keys and values of both namespaces, as one string to search. */
final class StoredBytes {
  private StoredBytes() {}

  static String of(Storage storage) throws IOException {
    StringBuilder all = new StringBuilder();
    for (Namespace ns : Namespace.values()) {
      for (String key : storage.keys(ns)) {
        all.append(key).append('\n');
        all.append(new String(storage.get(ns, key).orElseThrow(), StandardCharsets.ISO_8859_1))
            .append('\n');
      }
    }
    return all.toString();
  }
}
