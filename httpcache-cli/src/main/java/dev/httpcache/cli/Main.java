package dev.httpcache.cli;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The entry point of the {@code httpcache} command: parses the arguments, runs the command and
 * exits with its status (0 success, 1 failure, 2 bad usage; see {@code docs/cli.md}).
 *
 * <pre>{@code
 * java -jar httpcache.jar demo
 * java -jar httpcache.jar get https://example.com/
 * }</pre>
 */
public final class Main {
  /** Held so that the logging configuration is not collected with its logger. */
  private static final Logger LIBRARY_LOG = Logger.getLogger("dev.httpcache");

  private Main() {}

  /**
   * Runs the command that {@code args} names and exits the JVM with its status.
   *
   * @param args the command line, as {@code httpcache} receives it
   */
  public static void main(String[] args) {
    quietLibraryLogging();
    Charset charset = Charset.defaultCharset();
    int status = run(System.out, System.err, charset, args);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /**
   * Runs one command line in this JVM, with the given streams as standard output and standard
   * error, and returns its exit status. Tests call this with captured streams.
   */
  static int run(OutputStream stdout, OutputStream stderr, Charset charset, String... args) {
    return run(stdout, stderr, charset, System::getenv, args);
  }

  /**
   * Runs one command line as {@link #run(OutputStream, OutputStream, Charset, String...)} does,
   * reading environment variables from {@code environment}.
   */
  static int run(
      OutputStream stdout,
      OutputStream stderr,
      Charset charset,
      UnaryOperator<@Nullable String> environment,
      String... args) {
    Io io = new Io(stdout, stderr, charset);
    try {
      return commandLine(io, environment).execute(args);
    } finally {
      io.flush();
    }
  }

  /** Builds the command tree over {@code io}, with handlers that report errors in one line. */
  static CommandLine commandLine(Io io, UnaryOperator<@Nullable String> environment) {
    CommandLine cl = new CommandLine(new HttpcacheCommand(io));
    cl.addSubcommand(new DemoCommand(io));
    cl.addSubcommand(new GetCommand(io, environment));
    cl.addSubcommand(new LsCommand(io, environment));
    cl.addSubcommand(new ShowCommand(io, environment));
    cl.addSubcommand(new RmCommand(io, environment));
    cl.addSubcommand(new PurgeCommand(io, environment));
    cl.addSubcommand(new StatsCommand(io, environment));
    cl.addSubcommand(new ExportCommand(io, environment));
    cl.addSubcommand(new ImportCommand(io, environment, System.in));
    cl.addSubcommand(new KeygenCommand(io, environment));
    cl.addSubcommand(new ProxyCommand(io));
    cl.addSubcommand(new CommandLine.HelpCommand());
    // Set after the subcommands are added: these settings propagate to the commands present.
    // "-d @FILE" is the command's own syntax, not one of picocli's argument files.
    cl.setExpandAtFiles(false);
    cl.setOut(io.out());
    cl.setErr(io.err());
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CommandFailure failure) {
            io.error(Errors.oneLine(failure.getMessage()));
            return failure.exitStatus();
          }
          io.error("unexpected error: " + Errors.oneLine(e));
          return CommandFailure.FAILURE;
        });
    cl.setParameterExceptionHandler(
        (e, args) -> {
          String command = e.getCommandLine().getCommandSpec().qualifiedName();
          io.error(usageMessage(e) + " (see '" + command + " --help')");
          return CommandFailure.USAGE;
        });
    return cl;
  }

  /**
   * Returns the message of a usage error; for a value that a converter refused, the option and the
   * converter's own message, without picocli's "Invalid value for option" preamble.
   */
  private static String usageMessage(ParameterException e) {
    if (e.getCause() instanceof TypeConversionException conversion
        && e.getArgSpec() instanceof OptionSpec option) {
      return option.longestName() + ": " + Errors.oneLine(conversion.getMessage());
    }
    return Errors.oneLine(e.getMessage());
  }

  /**
   * Silences the library's own logging: its warnings (storage faults, undecodable entries) reach
   * the user through {@link Reporter}, one line each, instead of the console handler's stack
   * traces.
   */
  private static void quietLibraryLogging() {
    LIBRARY_LOG.setUseParentHandlers(false);
    LIBRARY_LOG.setLevel(Level.OFF);
  }
}
