package dev.httpcache.cli;

/**
 * A command that could not do its work, with the one line to print and the exit status. Thrown by
 * commands and reported by {@link Main}'s handler; any other exception is reported as unexpected.
 */
final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The exit status of a failure at run time: the network, the cache file, a file to read. */
  static final int FAILURE = 1;

  /** The exit status of bad usage: an unknown option, a bad URL, header or duration. */
  static final int USAGE = 2;

  private final int exitStatus;

  private CommandFailure(String message, int exitStatus) {
    super(message, null, false, false);
    this.exitStatus = exitStatus;
  }

  /** A failure at run time (exit status 1). */
  static CommandFailure failure(String message) {
    return new CommandFailure(message, FAILURE);
  }

  /** Bad usage (exit status 2). */
  static CommandFailure usage(String message) {
    return new CommandFailure(message, USAGE);
  }

  int exitStatus() {
    return exitStatus;
  }
}
