package dev.httpcache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code httpcache} command itself; without a subcommand it prints its usage and fails. */
@Command(
    name = "httpcache",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    description = "A persistent, secure HTTP client cache: try it with 'httpcache demo'.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Exit status: 0 on success, 1 when a request or the cache fails, 2 on bad usage.",
      "See docs/cli.md for every option and an example session."
    })
final class HttpcacheCommand implements Callable<Integer> {
  private final Io io;

  @SuppressWarnings("NullAway.Init") // injected by picocli
  @Spec
  private CommandSpec spec;

  HttpcacheCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.error(
        "missing command: demo, get, ls, show, rm, purge, stats, export, import, keygen or proxy"
            + " (see 'httpcache --help')");
    spec.commandLine().usage(io.err());
    return CommandFailure.USAGE;
  }

  /** The version of the build, from the filtered resource {@code version.properties}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = HttpcacheCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "httpcache " + properties.getProperty("version", "(unknown version)"),
        "Java " + System.getProperty("java.version")
      };
    }
  }
}
