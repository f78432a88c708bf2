package dev.httpcache.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.httpcache.CacheEntry;
import dev.httpcache.EntryFilter;
import dev.httpcache.HttpCache;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.UrlPattern;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpcache ls}: lists the stored responses, as a table or as JSON. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Lists the stored responses: key (its first 16 characters; show and rm take them),",
      "status, size, created, expires and URL. State filters (--valid, --expired, --undecodable)",
      "add up; --url and --older-than narrow what they let through."
    })
final class LsCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Mixin private CacheOption cache = new CacheOption();

  @Option(names = "--valid", description = "Decodable responses that have not expired.")
  private boolean valid;

  @Option(names = "--expired", description = "Responses past their expiry.")
  private boolean expired;

  @Option(names = "--undecodable", description = "Entries that cannot be decoded.")
  private boolean undecodable;

  @Option(
      names = "--url",
      paramLabel = "GLOB",
      description = "Only URLs that match GLOB, without the scheme: '*' in a segment, '**' across.")
  private @Nullable String url;

  @Option(
      names = "--older-than",
      paramLabel = "DURATION",
      converter = Durations.DurationConverter.class,
      description = "Only responses created more than DURATION ago (e.g. 30m, 7d).")
  private @Nullable Duration olderThan;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      description = "List at most N entries.")
  private long limit = Long.MAX_VALUE;

  @Option(names = "--json", description = "Print a JSON array of objects, one per entry.")
  private boolean json;

  LsCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  /** Returns the filter the options describe. */
  static EntryFilter filter(
      boolean valid,
      boolean expired,
      boolean undecodable,
      @Nullable String url,
      @Nullable Duration olderThan) {
    EntryFilter state = null;
    if (valid) {
      state = EntryFilter.valid();
    }
    if (expired) {
      state = state == null ? EntryFilter.expired() : state.or(EntryFilter.expired());
    }
    if (undecodable) {
      state = state == null ? EntryFilter.undecodable() : state.or(EntryFilter.undecodable());
    }
    EntryFilter filter = state == null ? EntryFilter.all() : state;
    if (url != null) {
      filter = filter.and(EntryFilter.url(UrlPattern.glob(url)));
    }
    if (olderThan != null) {
      filter = filter.and(EntryFilter.olderThan(olderThan));
    }
    return filter;
  }

  @Override
  public Integer call() {
    if (limit < 0) {
      throw CommandFailure.usage("--limit must not be negative");
    }
    EntryFilter filter = filter(valid, expired, undecodable, url, olderThan);
    Reporter reporter = new Reporter(io);
    try (HttpCache httpCache = reporter.open(cache, environment);
        Stream<CacheEntry> entries = httpCache.entries(filter).limit(limit)) {
      Instant now = httpCache.clock().instant();
      if (json) {
        printJson(entries.iterator(), now);
      } else {
        printTable(entries.iterator(), now);
      }
    } catch (IOException | UncheckedIOException e) {
      throw CommandFailure.failure("cannot list " + cache.describe() + ": " + Errors.message(e));
    }
    return 0;
  }

  private void printTable(Iterator<CacheEntry> entries, Instant now) {
    PrintWriter out = io.out();
    String format = "%-16s  %6s  %10s  %-20s  %-20s  %s%n";
    out.printf(Locale.ROOT, format, "KEY", "STATUS", "SIZE", "CREATED", "EXPIRES", "URL");
    long count = 0;
    long bytes = 0;
    while (entries.hasNext()) {
      CacheEntry entry = entries.next();
      CachedResponse response = entry.response().orElse(null);
      String expires =
          entry.expires().map(Entries::time).orElse("never") + (entry.isExpired(now) ? "*" : "");
      out.printf(
          Locale.ROOT,
          format,
          entry.key().length() > 16 ? entry.key().substring(0, 16) : entry.key(),
          response == null ? "-" : Integer.toString(response.statusCode()),
          Entries.size(entry.size()),
          response == null ? "-" : Entries.time(response.createdAt()),
          expires,
          Entries.url(entry));
      count++;
      bytes += entry.size();
    }
    out.printf(
        Locale.ROOT,
        "%d %s, %s (* expired)%n",
        count,
        count == 1 ? "entry" : "entries",
        Entries.size(bytes));
  }

  private void printJson(Iterator<CacheEntry> entries, Instant now) throws IOException {
    PrintWriter out = io.out();
    try (JsonGenerator g = Json.generator(out)) {
      g.writeStartArray();
      while (entries.hasNext()) {
        CacheEntry entry = entries.next();
        g.writeStartObject();
        g.writeStringField("key", entry.key());
        g.writeNumberField("size", entry.size());
        g.writeStringField("expires", entry.expires().map(Instant::toString).orElse(null));
        g.writeBooleanField("expired", entry.isExpired(now));
        if (entry.response().isPresent()) {
          CachedResponse response = entry.response().get();
          g.writeStringField("url", response.uri().toString());
          g.writeStringField("method", response.request().method());
          g.writeNumberField("status", response.statusCode());
          g.writeStringField("created", response.createdAt().toString());
          g.writeNumberField("bodySize", response.bodyLength());
        } else {
          g.writeStringField("problem", entry.problem().orElse("unknown"));
          g.writeBooleanField("foreign", entry.isForeign());
        }
        g.writeEndObject();
        g.writeRaw('\n');
      }
      g.writeEndArray();
      g.writeRaw('\n');
    }
    out.flush();
  }
}
