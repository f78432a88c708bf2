package dev.httpcache.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * The standard streams of one run: standard output as raw bytes (for response bodies) and as text,
 * and standard error as text. Text is flushed before raw bytes are written, so the two keep their
 * order.
 */
final class Io {
  private final OutputStream stdout;
  private final PrintWriter out;
  private final PrintWriter err;

  Io(OutputStream stdout, OutputStream stderr, Charset charset) {
    this.stdout = stdout;
    this.out = new PrintWriter(new OutputStreamWriter(stdout, charset), true);
    this.err = new PrintWriter(new OutputStreamWriter(stderr, charset), true);
  }

  /** Standard output, as text. */
  PrintWriter out() {
    return out;
  }

  /** Standard error, as text. */
  PrintWriter err() {
    return err;
  }

  /** Returns standard output as bytes, after flushing the text written so far. */
  OutputStream rawOut() {
    out.flush();
    return stdout;
  }

  /** Writes {@code bytes} to standard output as they are. */
  void writeRaw(byte[] bytes) {
    out.flush();
    try {
      stdout.write(bytes);
      stdout.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints one line {@code httpcache: message} on standard error. */
  void error(String message) {
    err.println("httpcache: " + message);
  }

  /** Prints one line {@code httpcache: warning: message} on standard error. */
  void warning(String message) {
    err.println("httpcache: warning: " + message);
  }

  void flush() {
    out.flush();
    err.flush();
  }
}
