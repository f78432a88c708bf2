package dev.httpcache.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
      // java.net.http reports a refused connection as ConnectException with no message at all.
      String message = message(e);
      return "cannot connect to "
          + url
          + ": "
          + (message.equals(e.getClass().getSimpleName()) ? "Connection refused" : message);
    }
    if (has(e, SSLException.class)) {
      return "TLS failure with " + url + ": " + message(e);
    }
    return "request to " + url + " failed: " + message(e);
  }

  /**
   * Returns the first message along the cause chain of {@code e}, or its type when none has one. A
   * file system error, whose message is only a path, says what went wrong with the path.
   */
  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException fse) {
        return fileSystem(fse);
      }
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

  private static String fileSystem(FileSystemException e) {
    String reason = e.getReason() == null ? null : oneLine(e.getReason());
    String what;
    if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      what = "no such file or folder";
    } else if (e instanceof FileAlreadyExistsException) {
      what = "a file is in the way";
    } else if (e instanceof NotDirectoryException) {
      what = "not a folder";
    } else {
      what = reason == null || reason.isBlank() ? "file system error" : reason;
    }
    String file = e.getFile();
    String other = e.getOtherFile();
    return what
        + (file == null ? "" : ": " + file)
        + (other == null ? "" : " -> " + other)
        + (reason == null || reason.isBlank() || what.equals(reason) ? "" : " (" + reason + ")");
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
