package dev.httpcache.cli;

import dev.httpcache.storage.Storage;
import java.io.IOException;

/** Opens Redis storages for {@code --cache redis://...}. */
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
   * Opens the Redis storage at {@code url}.
   *
   * @throws IOException when Redis cannot be reached
   */
  static Storage open(String url) throws IOException {
    throw new IOException(
        "Redis storage is not part of this build of the command ("
            + redacted(url)
            + "); use an SQLite file or a folder");
  }
}
