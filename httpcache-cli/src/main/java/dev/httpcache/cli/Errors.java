package dev.httpcache.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** Turns exceptions into the one line a user reads. */
final class Errors {
  private Errors() {}

  /**
   * Describes a failed request to {@code url}: "cannot connect to URL: Connection refused",
   * "unknown host", "timed out", and so on.
   */
  static String request(String url, IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "cannot connect to " + url + ": timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "request to " + url + " timed out";
    }
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return "cannot connect to " + url + ": unknown host";
    }
    if (e instanceof ConnectException || has(e, ConnectException.class)) {
      return "cannot connect to " + url + ": " + message(e);
    }
    if (has(e, SSLException.class)) {
      return "TLS failure with " + url + ": " + message(e);
    }
    return "request to " + url + " failed: " + message(e);
  }

  /**
   * Returns the first message along the cause chain of {@code e}, or its type when none has one.
   */
  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank()) {
        return oneLine(m);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e.getClass().getSimpleName();
  }

  /** Returns the type and first message of {@code e}, on one line. */
  static String oneLine(Throwable e) {
    return e.getClass().getName() + ": " + message(e);
  }

  /** Folds {@code text} onto one line. */
  static String oneLine(@Nullable String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
