package dev.httpcache.cli;

import dev.httpcache.HttpCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code httpcache rm KEY|URL...}: deletes stored responses by key or URL. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Deletes the stored responses of the keys or URLs given (a URL stands for a GET of it;",
      "a key may be its start as ls prints it), and the redirect aliases left pointing nowhere."
    },
    footer = {"", "Exit status: 0 when each one was deleted, 1 when one was not stored."})
final class RmCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Parameters(arity = "1..*", paramLabel = "KEY|URL", description = "What to delete.")
  private List<String> targets = new ArrayList<>();

  @Mixin private CacheOption cache = new CacheOption();

  RmCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Reporter reporter = new Reporter(io);
    int missing = 0;
    long removed = 0;
    try (HttpCache httpCache = reporter.open(cache, environment)) {
      for (String target : targets) {
        long deleted =
            Entries.isUrl(target)
                ? httpCache.deleteUrls(List.of(Entries.uri(target)))
                : httpCache.delete(Entries.resolve(httpCache, target));
        if (deleted == 0) {
          io.warning("nothing is stored under " + target);
          missing++;
        } else {
          removed++;
        }
      }
    } catch (IOException e) {
      throw CommandFailure.failure(
          "cannot delete from " + cache.describe() + ": " + Errors.message(e));
    }
    io.out().println("deleted " + removed + " of " + targets.size());
    return missing == 0 ? 0 : CommandFailure.FAILURE;
  }
}
