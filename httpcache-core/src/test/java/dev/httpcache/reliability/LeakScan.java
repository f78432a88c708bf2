package dev.httpcache.reliability;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Searches what a storage holds for secrets that requests carried: the raw bytes of its files, or
 * its keys and values. Every secret of a load run starts with {@code SECRET}, so one pass finds the
 * candidates and each is compared with the secrets.
 */
public final class LeakScan {
  private LeakScan() {}

  /**
   * Returns the secrets found in {@code bytes}, with where they were, or an empty list. Bytes are
   * read as ISO-8859-1, so a secret is found in any encoding that keeps ASCII as it is.
   */
  public static List<String> find(String where, byte[] bytes, Collection<String> secrets) {
    String text = new String(bytes, ISO_8859_1);
    List<String> found = new ArrayList<>();
    for (int at = text.indexOf("SECRET"); at >= 0; at = text.indexOf("SECRET", at + 1)) {
      for (String secret : secrets) {
        if (text.startsWith(secret, at)) {
          found.add(secret + " in " + where + " at byte " + at);
        }
      }
    }
    return found;
  }

  /** Returns the secrets found in the bytes of every regular file under {@code root}. */
  public static List<String> findInFiles(Path root, Collection<String> secrets) throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (java.nio.file.NoSuchFileException gone) {
        continue; // a temporary file renamed away in the meantime
      }
      found.addAll(find(file.toString(), bytes, secrets));
    }
    return found;
  }

  /** Returns the secrets found in the keys and values of both namespaces of {@code storage}. */
  public static List<String> findInValues(Storage storage, Collection<String> secrets)
      throws IOException {
    List<String> found = new ArrayList<>();
    long values = 0;
    for (Namespace namespace : Namespace.values()) {
      try (Storage.Cursor cursor = storage.scan(namespace)) {
        for (Optional<Storage.Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
          String key = item.get().key();
          found.addAll(find(namespace + " key", key.getBytes(ISO_8859_1), secrets));
          Optional<byte[]> value = storage.get(namespace, key);
          if (value.isPresent()) {
            values++;
            found.addAll(find(namespace + " value of " + key, value.get(), secrets));
          }
        }
      }
    }
    if (values == 0) {
      found.add("nothing to search: the storage holds no value");
    }
    return found;
  }
}
