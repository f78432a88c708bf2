package dev.httpcache.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.httpcache.CacheStats;
import dev.httpcache.HttpCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpcache stats}: what a cache holds. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Prints what the cache holds: responses, their size, redirect aliases, and the size of",
      "an SQLite file. (Hits and misses are counted by each running program: CacheStats.)"
    })
final class StatsCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Mixin private CacheOption cache = new CacheOption();

  @Option(names = "--json", description = "Print a JSON object.")
  private boolean json;

  StatsCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Reporter reporter = new Reporter(io);
    CacheStats stats;
    try (HttpCache httpCache = reporter.open(cache, environment)) {
      stats = httpCache.stats();
    } catch (IOException e) {
      throw CommandFailure.failure("cannot read " + cache.describe() + ": " + Errors.message(e));
    }
    long fileSize = fileSize();
    PrintWriter out = io.out();
    if (json) {
      try (JsonGenerator g = Json.generator(out)) {
        g.writeStartObject();
        g.writeStringField("cache", cache.describe());
        g.writeNumberField("entries", stats.entries());
        g.writeNumberField("bytes", stats.bytes());
        g.writeNumberField("redirects", stats.redirects());
        if (fileSize >= 0) {
          g.writeNumberField("fileBytes", fileSize);
        }
        g.writeEndObject();
        g.writeRaw('\n');
      } catch (IOException e) {
        throw CommandFailure.failure("cannot write JSON: " + Errors.message(e));
      }
      out.flush();
      return 0;
    }
    out.println("cache: " + cache.describe());
    out.println("responses: " + stats.entries());
    out.println("size: " + Entries.size(stats.bytes()) + " (" + stats.bytes() + " bytes)");
    out.println("redirect aliases: " + stats.redirects());
    if (fileSize >= 0) {
      out.println("file: " + Entries.size(fileSize) + " (with its write-ahead log)");
    }
    return 0;
  }

  /** The SQLite file's size with its WAL, or -1 for other storages. */
  private long fileSize() {
    if (cache.isRedis() || cache.isFolder()) {
      return -1;
    }
    Path file = cache.path();
    long size = 0;
    for (Path part : new Path[] {file, Path.of(file + "-wal")}) {
      try {
        size += Files.size(part);
      } catch (IOException e) {
        // no write-ahead log at the moment
      }
    }
    return size;
  }
}
