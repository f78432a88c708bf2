package dev.httpcache.cli;

import dev.httpcache.redis.RedisStorage;
import dev.httpcache.storage.Storage;

/** Opens Redis storages for {@code --cache redis://...} (module httpcache-redis). */
final class Redis {
  private Redis() {}

  /** Returns {@code url} with any password replaced, for messages. */
  static String redacted(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    // user:password keeps the user; a lone word may be a password, so all of it goes.
    String kept = colon < 0 ? "REDACTED" : userInfo.substring(0, colon) + ":REDACTED";
    return url.substring(0, scheme + 3) + kept + url.substring(at);
  }

  /**
   * Opens the Redis storage at {@code url}: {@code redis://}, {@code rediss://} (TLS), {@code
   * redis+sentinel://} or {@code redis+cluster://}, as {@link RedisStorage#fromUrl} reads them.
   * Nothing is sent to Redis until the first command.
   *
   * @throws CommandFailure when the URL is malformed (bad usage)
   */
  static Storage open(String url) {
    try {
      return RedisStorage.fromUrl(url);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage("--cache " + redacted(url) + ": " + Errors.message(e));
    }
  }
}
