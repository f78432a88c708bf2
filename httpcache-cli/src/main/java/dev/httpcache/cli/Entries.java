package dev.httpcache.cli;

import dev.httpcache.CacheEntry;
import dev.httpcache.HttpCache;
import dev.httpcache.model.CachedRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How commands name and print entries. */
final class Entries {
  private Entries() {}

  /**
   * Returns the key that {@code keyOrUrl} names: an http:// or https:// URL stands for the key of a
   * GET of it under the cache's settings; anything else is a key.
   */
  static String key(HttpCache cache, String keyOrUrl) {
    return isUrl(keyOrUrl) ? cache.key(CachedRequest.get(uri(keyOrUrl))) : keyOrUrl;
  }

  /** Whether {@code text} is an http:// or https:// URL rather than a key. */
  static boolean isUrl(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** Parses a URL given on the command line. */
  static URI uri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw CommandFailure.usage("bad URL '" + text + "': " + e.getMessage());
    }
  }

  /**
   * Resolves {@code keyOrUrl} as {@link #key} does, and a key that is not stored but is the start
   * of exactly one stored key (at least 6 characters, as {@code ls} prints 16) to that key.
   *
   * @throws CommandFailure when a prefix fits several keys
   */
  static String resolve(HttpCache cache, String keyOrUrl) throws java.io.IOException {
    if (isUrl(keyOrUrl)) {
      return key(cache, keyOrUrl);
    }
    String key = keyOrUrl;
    if (key.length() < 6 || cache.containsKey(key)) {
      return key;
    }
    String found = null;
    for (String stored : cache.responses().keys()) {
      if (stored.startsWith(keyOrUrl)) {
        if (found != null) {
          throw CommandFailure.usage("'" + keyOrUrl + "' is the start of several keys");
        }
        found = stored;
      }
    }
    return found == null ? key : found;
  }

  /** Returns the URL of the entry's response, or why there is none. */
  static String url(CacheEntry entry) {
    if (entry.response().isPresent()) {
      URI uri = entry.response().get().uri();
      return uri.toString();
    }
    return entry.isForeign()
        ? "(another codec's entry: " + entry.problem().orElse("") + ")"
        : "(undecodable: " + entry.problem().orElse("unknown") + ")";
  }

  /** Formats an instant to the second, ISO-8601 in UTC. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Formats a size in bytes for people: 999 B, 1.5 KiB, 3.2 MiB. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
