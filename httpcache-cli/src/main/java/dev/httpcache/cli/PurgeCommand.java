package dev.httpcache.cli;

import dev.httpcache.CacheEntry;
import dev.httpcache.EntryFilter;
import dev.httpcache.HttpCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpcache purge}: deletes expired, undecodable or old entries, or all of them. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Deletes the entries that any of the options names, then the redirect aliases left",
      "pointing nowhere. At least one option is needed."
    })
final class PurgeCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Mixin private CacheOption cache = new CacheOption();

  @Option(names = "--expired", description = "Entries past their expiry (uses the index).")
  private boolean expired;

  @Option(names = "--undecodable", description = "Entries that cannot be decoded.")
  private boolean undecodable;

  @Option(
      names = "--older-than",
      paramLabel = "DURATION",
      converter = Durations.DurationConverter.class,
      description = "Responses created more than DURATION ago (e.g. 7d).")
  private @Nullable Duration olderThan;

  @Option(names = "--all", description = "Every entry and alias.")
  private boolean all;

  PurgeCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    if (!expired && !undecodable && olderThan == null && !all) {
      throw CommandFailure.usage(
          "say what to purge: --expired, --undecodable, --older-than DURATION or --all");
    }
    Reporter reporter = new Reporter(io);
    long purged;
    try (HttpCache httpCache = reporter.open(cache, environment)) {
      if (all) {
        purged = httpCache.stats().entries();
        httpCache.clear();
      } else if (expired && !undecodable && olderThan == null) {
        purged = httpCache.delete(EntryFilter.expired());
      } else {
        purged = purge(httpCache, filter(), httpCache.stats().entries());
      }
    } catch (IOException | UncheckedIOException e) {
      throw CommandFailure.failure("cannot purge " + cache.describe() + ": " + Errors.message(e));
    }
    io.out().println("purged " + purged + (purged == 1 ? " entry" : " entries"));
    return 0;
  }

  private EntryFilter filter() {
    EntryFilter filter = null;
    if (expired) {
      filter = EntryFilter.expired();
    }
    if (undecodable) {
      filter = filter == null ? EntryFilter.undecodable() : filter.or(EntryFilter.undecodable());
    }
    Duration age = olderThan;
    if (age != null) {
      EntryFilter old = EntryFilter.olderThan(age);
      filter = filter == null ? old : filter.or(old);
    }
    return filter == null ? EntryFilter.all() : filter;
  }

  /** Deletes entry by entry, so that a progress bar can follow a long purge. */
  private static long purge(HttpCache httpCache, EntryFilter filter, long total)
      throws IOException {
    long purged = 0;
    try (Progress progress = Progress.start("purge", total);
        Stream<CacheEntry> doomed = httpCache.entries(filter)) {
      for (Iterator<CacheEntry> it = doomed.iterator(); it.hasNext(); ) {
        CacheEntry entry = it.next();
        progress.step();
        if (httpCache.responses().remove(entry.key())) {
          purged++;
        }
      }
    }
    httpCache.delete(new String[0]); // prunes the aliases left pointing nowhere
    return purged;
  }
}
