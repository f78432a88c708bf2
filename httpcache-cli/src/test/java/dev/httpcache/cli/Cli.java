package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Runs the {@code httpcache} command in this JVM, as {@link Main} would, with captured streams. */
final class Cli {
  private Cli() {}

  /** What one run printed, and its exit status. */
  record Result(int status, byte[] stdout, String err) {
    /** Standard output, as UTF-8 text. */
    String out() {
      return new String(stdout, UTF_8);
    }

    /** The lines of standard error. */
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result runWithEnvironment(java.util.Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(out, err, UTF_8, environment::get, args);
    return new Result(status, out.toByteArray(), err.toString(UTF_8));
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(out, err, UTF_8, args);
    return new Result(status, out.toByteArray(), err.toString(UTF_8));
  }
}
